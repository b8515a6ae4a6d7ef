import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { foldQuote } from "./evolve";
import {
  CONTACT,
  QUOTE_ID,
  aCancelledDraft,
  aCompleteDraft,
  aDraft,
  aReferredQuote,
  aRejectedQuote,
  aSubmittedQuote,
  aWithdrawnSubmittedQuote,
  anApprovedQuote,
  quoteCancelled,
} from "./testing/fixtures";
import { AGENT, CUSTOMER, given } from "./testing/given-when-then";

// CancelQuote is the customer's "Withdraw this quote".
const withdraw = { type: "CancelQuote", quoteId: QUOTE_ID } as const;

describe("CancelQuote (the customer withdraws the quote)", () => {
  it("withdraws a draft, filled in or not", () => {
    given(aDraft()).when(withdraw).then([{ type: "QuoteCancelled", data: {} }]);
    given(aCompleteDraft()).when(withdraw).then([quoteCancelled()]);
  });

  it("withdraws a submitted quote no agent has decided yet", () => {
    given(aSubmittedQuote()).when(withdraw, { actor: CUSTOMER }).then([quoteCancelled()]);
  });

  it("withdraws a referred quote: a referral waits for a decision, it is not one", () => {
    given(aReferredQuote()).when(withdraw).then([quoteCancelled()]);
  });

  it("refuses once the quote is approved or rejected, saying which", () => {
    given(anApprovedQuote())
      .when(withdraw)
      .thenFails("QuoteAlreadyDecided", { message: "This quote has already been approved, so it can't be withdrawn." });
    given(aRejectedQuote())
      .when(withdraw)
      .thenFails("QuoteAlreadyDecided", { message: "This quote has already been rejected, so it can't be withdrawn." });
  });

  it("refuses to withdraw twice", () => {
    given(aCancelledDraft()).when(withdraw).thenFails("QuoteCancelled", { message: "This quote has already been withdrawn." });
    given(aWithdrawnSubmittedQuote()).when(withdraw).thenFails("QuoteCancelled", { message: "This quote has already been withdrawn." });
  });

  it("refuses a quote that was never started", () => {
    given([]).when(withdraw).thenFails("QuoteNotFound");
  });

  it("a withdrawn quote keeps its answers and premium, and is withdrawn", () => {
    const state = foldQuote(aWithdrawnSubmittedQuote());
    assert.equal(state.status, "cancelled");
    assert.notEqual(state.premium, null);
    assert.deepEqual(state.contactDetails, CONTACT);
  });
});

describe("After the customer withdraws", () => {
  it("no page can be saved again", () => {
    for (const history of [aCancelledDraft(), aWithdrawnSubmittedQuote()]) {
      given(history)
        .when({ type: "CaptureContactDetails", quoteId: QUOTE_ID, details: CONTACT })
        .thenFails("QuoteCancelled", { message: "This quote has been withdrawn by the customer, so it can't be changed." });
    }
  });

  it("it cannot be submitted", () => {
    given([...aCompleteDraft(), quoteCancelled()])
      .when({ type: "SubmitQuote", quoteId: QUOTE_ID })
      .thenFails("QuoteCancelled", { message: "This quote has been withdrawn by the customer, so it can't be submitted." });
  });

  it("an agent cannot approve, reject or refer it, and is told the customer withdrew it", () => {
    const asAgent = { actor: AGENT };
    given(aWithdrawnSubmittedQuote())
      .when({ type: "ApproveQuote", quoteId: QUOTE_ID }, asAgent)
      .thenFails("QuoteCancelled", { message: "This quote has been withdrawn by the customer, so it can't be approved." });
    given(aWithdrawnSubmittedQuote())
      .when({ type: "RejectQuote", quoteId: QUOTE_ID, reason: "Too late" }, asAgent)
      .thenFails("QuoteCancelled", { message: "This quote has been withdrawn by the customer, so it can't be rejected." });
    given(aWithdrawnSubmittedQuote())
      .when({ type: "ReferQuote", quoteId: QUOTE_ID, reason: "Check" }, asAgent)
      .thenFails("QuoteCancelled", { message: "This quote has been withdrawn by the customer, so it can't be referred." });
  });
});
