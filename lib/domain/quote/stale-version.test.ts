import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { QuoteCommand } from "./commands";
import type { QuoteEvent } from "./events";
import { changedSinceSeen, sameValue } from "./stale-version";
import {
  CONTACT,
  QUOTE_ID,
  TORONTO,
  aCompleteDraft,
  aDraft,
  aSubmittedQuote,
  applicationNumberAssigned,
  contactDetailsCaptured,
  familyDetailsCaptured,
  geographicDetailsCaptured,
  quoteReferred,
} from "./testing/fixtures";

/** given(history).seenAt(version).when(command): the sender saw the quote at `version`; the history went on. */
function given(history: QuoteEvent[]) {
  return {
    seenAt: (version: number) => ({
      when(command: QuoteCommand) {
        const conflict = changedSinceSeen(command, history, version);
        return {
          thenStands: () => assert.equal(conflict, false, `${command.type} seen at ${version} should stand`),
          thenConflicts: () => assert.equal(conflict, true, `${command.type} seen at ${version} should conflict`),
        };
      },
    }),
  };
}

const captureGeographic: QuoteCommand = { type: "CaptureGeographicDetails", quoteId: QUOTE_ID, details: TORONTO };
const captureContact: QuoteCommand = { type: "CaptureContactDetails", quoteId: QUOTE_ID, details: CONTACT };
const submit: QuoteCommand = { type: "SubmitQuote", quoteId: QUOTE_ID };
const approve: QuoteCommand = { type: "ApproveQuote", quoteId: QUOTE_ID };

describe("a command sent at a version the quote has moved past", () => {
  it("stands when the newer events left the page it saves alone (another page, the application number)", () => {
    given([...aDraft(), contactDetailsCaptured(), applicationNumberAssigned()]).seenAt(1).when(captureGeographic).thenStands();
  });

  it("conflicts when someone saved the same page since", () => {
    given([...aDraft(), geographicDetailsCaptured()]).seenAt(1).when(captureGeographic).thenConflicts();
  });

  it("stands when the same page was saved again with the same answers", () => {
    given([...aDraft(), geographicDetailsCaptured(), geographicDetailsCaptured()]).seenAt(2).when(captureGeographic).thenStands();
  });

  it("judges by what is there now: a page changed and changed back again is what the sender saw", () => {
    given([...aDraft(), geographicDetailsCaptured(), geographicDetailsCaptured(TORONTO), geographicDetailsCaptured()]).seenAt(2).when(captureContact).thenStands();
    given([...aDraft(), geographicDetailsCaptured(), geographicDetailsCaptured(TORONTO), geographicDetailsCaptured()]).seenAt(2).when(captureGeographic).thenStands();
  });

  it("submitting conflicts when any answer changed since the customer checked them, and stands after a number arrived", () => {
    given([...aCompleteDraft(), familyDetailsCaptured({ numberOfDependents: 0, childrenNames: [] })]).seenAt(4).when(submit).thenConflicts();
    given([...aCompleteDraft(), applicationNumberAssigned()]).seenAt(4).when(submit).thenStands();
  });

  it("an agent's decision conflicts when another agent decided since, and stands after a number arrived", () => {
    given([...aSubmittedQuote(), quoteReferred()]).seenAt(5).when(approve).thenConflicts();
    given([...aSubmittedQuote(), applicationNumberAssigned()]).seenAt(5).when(approve).thenStands();
  });

  it("conflicts when the sender claims a version the quote never reached", () => {
    given(aDraft()).seenAt(3).when(captureGeographic).thenConflicts();
  });
});

describe("sameValue", () => {
  it("ignores key order and absent optional answers", () => {
    assert.ok(sameValue({ numberOfDependents: 1, childrenNames: ["Ada"] }, { childrenNames: ["Ada"], spouseName: undefined, numberOfDependents: 1 }));
    assert.ok(sameValue(null, undefined));
  });

  it("sees a changed answer, and an order change in a list", () => {
    assert.ok(!sameValue({ city: "Springfield" }, { city: "Chicago" }));
    assert.ok(!sameValue({ childrenNames: ["Ada", "Byron"] }, { childrenNames: ["Byron", "Ada"] }));
    assert.ok(!sameValue(null, { city: "Springfield" }));
  });
});
