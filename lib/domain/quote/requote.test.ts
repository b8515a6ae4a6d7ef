import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { QuoteErrorCode } from "./errors";
import type { QuoteEvent } from "./events";
import { foldQuote } from "./evolve";
import { requote } from "./requote";
import {
  CONTACT,
  FAMILY_OF_FOUR,
  QUOTE_ID,
  SAN_FRANCISCO,
  aDraft,
  aReferredQuote,
  aSubmittedQuote,
  anApprovedQuote,
  anExpiredQuote,
  aWithdrawnSubmittedQuote,
  personalDataErased,
} from "./testing/fixtures";

const NEW_QUOTE_ID = "quote-0002";

/** given(the old quote's history).whenRequoted().then(the new quote's events) / thenFails(code). */
function given(history: QuoteEvent[]) {
  const result = requote(foldQuote(history), NEW_QUOTE_ID);
  return {
    then(expected: QuoteEvent[]) {
      if (!result.ok) assert.fail(`Expected events, got ${result.error.code}: ${result.error.message}`);
      assert.deepEqual(result.events, expected);
    },
    thenFails(code: QuoteErrorCode) {
      if (result.ok) assert.fail(`Expected ${code}, got ${result.events.map((e) => e.type).join(", ")}`);
      assert.equal(result.error.code, code);
      assert.ok(result.error.message.length > 0);
    },
  };
}

describe("Requote (start a new quote with an expired quote's answers)", () => {
  it("is refused once the expired quote's personal data was erased: there are no answers left to carry", () => {
    given([...anExpiredQuote(), personalDataErased()]).thenFails("PersonalDataErased");
  });

  it("starts a new quote, linked to the expired one, with every answer captured again", () => {
    given(anExpiredQuote()).then([
      { type: "QuoteStarted", data: { quoteId: NEW_QUOTE_ID } },
      { type: "QuoteRequoted", data: { requotedFrom: QUOTE_ID } },
      { type: "GeographicDetailsCaptured", data: { details: SAN_FRANCISCO } },
      { type: "ContactDetailsCaptured", data: { details: CONTACT } },
      { type: "FamilyDetailsCaptured", data: { details: FAMILY_OF_FOUR } },
    ]);
  });

  it("the new quote is a draft with the old answers, ready to submit at today's premium", () => {
    const result = requote(foldQuote(anExpiredQuote()), NEW_QUOTE_ID);
    assert.ok(result.ok);
    const state = foldQuote(result.events);
    assert.equal(state.status, "draft");
    assert.equal(state.quoteId, NEW_QUOTE_ID);
    assert.deepEqual(state.familyDetails, FAMILY_OF_FOUR);
    assert.equal(state.premium, null);
  });

  it("refuses a quote that has not expired: it can still be continued", () => {
    for (const history of [aDraft(), aSubmittedQuote(), aReferredQuote(), anApprovedQuote(), aWithdrawnSubmittedQuote()]) given(history).thenFails("QuoteNotExpired");
  });

  it("refuses a quote that was never started", () => {
    given([]).thenFails("QuoteNotFound");
  });
});
