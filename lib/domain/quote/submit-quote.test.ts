import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { priceQuote } from "./pricing";
import {
  FAMILY_OF_FOUR,
  QUOTE_ID,
  SAN_FRANCISCO,
  aCancelledDraft,
  aCompleteDraft,
  aDraft,
  aSubmittedQuote,
  anApprovedQuote,
  contactDetailsCaptured,
  familyDetailsCaptured,
  geographicDetailsCaptured,
  quoteStarted,
} from "./testing/fixtures";
import { given } from "./testing/given-when-then";

const submit = { type: "SubmitQuote", quoteId: QUOTE_ID } as const;

describe("SubmitQuote", () => {
  it("submits a complete draft with its premium, valid for 30 days", () => {
    given(aCompleteDraft())
      .when(submit, { now: new Date("2026-11-26T10:00:00Z") })
      .then([
        {
          type: "QuoteSubmitted",
          data: {
            premium: priceQuote({ geographic: SAN_FRANCISCO, family: FAMILY_OF_FOUR }),
            validUntil: "2026-12-26",
            expiresAt: "2026-12-27T00:00:00.000Z",
          },
        },
      ]);
  });

  it("counts the 30 days on the UTC calendar, across month and year ends", () => {
    const [event] = given(aCompleteDraft()).when(submit, { now: new Date("2026-12-15T23:59:59Z") }).then([
      {
        type: "QuoteSubmitted",
        data: { premium: priceQuote({ geographic: SAN_FRANCISCO, family: FAMILY_OF_FOUR }), validUntil: "2027-01-14", expiresAt: "2027-01-15T00:00:00.000Z" },
      },
    ]);
    assert.equal(event?.type, "QuoteSubmitted");
  });

  it("prices the latest captured details, not the first", () => {
    const single = { numberOfDependents: 0, childrenNames: [] };
    const result = given([...aCompleteDraft(), familyDetailsCaptured(single)]).when(submit).result;
    assert.ok(result.ok);
    const [event] = result.events;
    assert.equal(event?.type, "QuoteSubmitted");
    if (event?.type === "QuoteSubmitted") {
      assert.deepEqual(event.data.premium, priceQuote({ geographic: SAN_FRANCISCO, family: single }));
    }
  });

  it("refuses a draft with no pages, listing all three", () => {
    given(aDraft())
      .when(submit)
      .thenFails("QuoteIncomplete", {
        missing: ["geographicDetails", "contactDetails", "familyDetails"],
        message: "Add your location details, contact details and family details before submitting.",
      });
  });

  it("refuses a draft missing contact details, naming only that page", () => {
    given([quoteStarted(), geographicDetailsCaptured(), familyDetailsCaptured()])
      .when(submit)
      .thenFails("QuoteIncomplete", {
        missing: ["contactDetails"],
        message: "Add your contact details before submitting.",
      });
  });

  it("refuses a draft missing two pages, naming both", () => {
    given([quoteStarted(), contactDetailsCaptured()])
      .when(submit)
      .thenFails("QuoteIncomplete", {
        missing: ["geographicDetails", "familyDetails"],
        message: "Add your location details and family details before submitting.",
      });
  });

  it("refuses to submit twice", () => {
    given(aSubmittedQuote())
      .when(submit)
      .thenFails("QuoteNotDraft", { message: "This quote has already been submitted." });
  });

  it("refuses to submit a decided quote", () => {
    given(anApprovedQuote()).when(submit).thenFails("QuoteNotDraft");
  });

  it("refuses to submit a withdrawn quote", () => {
    given(aCancelledDraft())
      .when(submit)
      .thenFails("QuoteCancelled", { message: "This quote has been withdrawn by the customer, so it can't be submitted." });
  });
});
