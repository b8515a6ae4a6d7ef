import { describe, it } from "node:test";
import {
  QUOTE_ID,
  aCancelledDraft,
  aCompleteDraft,
  aDraft,
  aReferredQuote,
  aRejectedQuote,
  aSubmittedQuote,
  anApprovedQuote,
  quoteCancelled,
} from "./testing/fixtures";
import { AGENT, given } from "./testing/given-when-then";

const cancel = { type: "CancelQuote", quoteId: QUOTE_ID } as const;

describe("CancelQuote", () => {
  it("cancels a draft", () => {
    given(aDraft()).when(cancel).then([{ type: "QuoteCancelled", data: {} }]);
    given(aCompleteDraft()).when(cancel).then([quoteCancelled()]);
  });

  it("cancels a submitted quote", () => {
    given(aSubmittedQuote()).when(cancel).then([quoteCancelled()]);
  });

  it("cancels a referred quote", () => {
    given(aReferredQuote()).when(cancel, { actor: AGENT }).then([quoteCancelled()]);
  });

  it("refuses once the quote is approved or rejected, saying which", () => {
    given(anApprovedQuote())
      .when(cancel)
      .thenFails("QuoteAlreadyDecided", { message: "This quote has already been approved, so it can't be cancelled." });
    given(aRejectedQuote())
      .when(cancel)
      .thenFails("QuoteAlreadyDecided", { message: "This quote has already been rejected, so it can't be cancelled." });
  });

  it("refuses to cancel twice", () => {
    given(aCancelledDraft())
      .when(cancel)
      .thenFails("QuoteCancelled", { message: "This quote has already been cancelled." });
  });
});
