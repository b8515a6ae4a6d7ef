import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { foldQuote } from "./evolve";
import {
  QUOTE_ID,
  aCancelledDraft,
  aCompleteDraft,
  aReferredQuote,
  aRejectedQuote,
  aSubmittedQuote,
  anApprovedQuote,
  anExpiredQuote,
  quoteExpired,
  quoteSubmitted,
  quoteSubmittedWithoutExpiry,
} from "./testing/fixtures";
import { AGENT, CUSTOMER, given } from "./testing/given-when-then";

const EXPIRY_WORKER = { kind: "system", name: "quote-expiry" } as const;
const expire = { type: "ExpireQuote", quoteId: QUOTE_ID } as const;
// The fixtures' quote is valid until 2026-12-26, so it expires at midnight UTC after it.
const AT_EXPIRY = { now: new Date("2026-12-27T00:00:00.000Z"), actor: EXPIRY_WORKER };
const BEFORE_EXPIRY = { now: new Date("2026-12-26T23:59:59.999Z"), actor: EXPIRY_WORKER };

describe("ExpireQuote (the platform, at the quote's expiry moment)", () => {
  it("expires a submitted quote at its expiry moment", () => {
    given(aSubmittedQuote()).when(expire, AT_EXPIRY).then([{ type: "QuoteExpired", data: {} }]);
  });

  it("expires a referred quote too: the premium it was referred at is no longer offered", () => {
    given(aReferredQuote()).when(expire, AT_EXPIRY).then([quoteExpired()]);
  });

  it("refuses before the expiry moment, so a command run early changes nothing", () => {
    given(aSubmittedQuote()).when(expire, BEFORE_EXPIRY).thenFails("QuoteStillValid");
  });

  it("expires at the exact moment recorded at submission (a validity of seconds)", () => {
    const history = [...aCompleteDraft(), quoteSubmitted("2026-11-26", "2026-11-26T10:00:30.000Z")];
    given(history).when(expire, { now: new Date("2026-11-26T10:00:29.999Z") }).thenFails("QuoteStillValid");
    given(history).when(expire, { now: new Date("2026-11-26T10:00:30.000Z") }).then([quoteExpired()]);
  });

  it("a quote submitted before expiresAt was recorded expires at the end of its last valid day", () => {
    const history = [...aCompleteDraft(), quoteSubmittedWithoutExpiry("2026-12-26")];
    assert.equal(foldQuote(history).expiresAt, "2026-12-27T00:00:00.000Z");
    given(history).when(expire, AT_EXPIRY).then([quoteExpired()]);
  });

  it("leaves a decided, withdrawn or already expired quote as it is", () => {
    given(anApprovedQuote()).when(expire, AT_EXPIRY).thenFails("QuoteAlreadyDecided");
    given(aRejectedQuote()).when(expire, AT_EXPIRY).thenFails("QuoteAlreadyDecided");
    given(aCancelledDraft()).when(expire, AT_EXPIRY).thenFails("QuoteCancelled");
    given(anExpiredQuote()).when(expire, AT_EXPIRY).thenFails("QuoteExpired", { message: "This quote has already expired on 2026-12-27." });
  });

  it("refuses a draft and a quote that does not exist", () => {
    given(aCompleteDraft()).when(expire, AT_EXPIRY).thenFails("QuoteNotSubmitted");
    given([]).when(expire, AT_EXPIRY).thenFails("QuoteNotFound");
  });

  it("an expired quote keeps its answers and premium, and is expired", () => {
    const state = foldQuote(anExpiredQuote());
    assert.equal(state.status, "expired");
    assert.notEqual(state.premium, null);
    assert.notEqual(state.familyDetails, null);
  });
});

describe("Deciding an expired quote is refused", () => {
  const asAgent = { actor: AGENT, now: AT_EXPIRY.now };

  it("refuses approve, reject and refer of an expired quote, saying it expired", () => {
    given(anExpiredQuote())
      .when({ type: "ApproveQuote", quoteId: QUOTE_ID, reason: "Fine" }, asAgent)
      .thenFails("QuoteExpired", { message: "This quote expired on 2026-12-27, so it can't be approved. Start a new quote with these answers instead." });
    given(anExpiredQuote()).when({ type: "RejectQuote", quoteId: QUOTE_ID, reason: "No" }, asAgent).thenFails("QuoteExpired", { message: /can't be rejected/ });
    given(anExpiredQuote()).when({ type: "ReferQuote", quoteId: QUOTE_ID, reason: "Check" }, asAgent).thenFails("QuoteExpired", { message: /can't be referred/ });
  });

  it("refuses once the expiry moment has passed, even before QuoteExpired is recorded", () => {
    given(aSubmittedQuote()).when({ type: "ApproveQuote", quoteId: QUOTE_ID }, asAgent).thenFails("QuoteExpired");
    given(aReferredQuote()).when({ type: "RejectQuote", quoteId: QUOTE_ID, reason: "No" }, asAgent).thenFails("QuoteExpired");
    given(aSubmittedQuote())
      .when({ type: "ApproveQuote", quoteId: QUOTE_ID }, { actor: AGENT, now: BEFORE_EXPIRY.now })
      .then([{ type: "QuoteApproved", data: { reason: null, agentId: "agent-42" } }]);
  });

  it("the customer can neither withdraw, change nor submit an expired quote", () => {
    given(anExpiredQuote()).when({ type: "CancelQuote", quoteId: QUOTE_ID }, { actor: CUSTOMER }).thenFails("QuoteExpired", { message: /can't be withdrawn/ });
    given(anExpiredQuote())
      .when({ type: "CaptureFamilyDetails", quoteId: QUOTE_ID, details: { numberOfDependents: 0, childrenNames: [] } })
      .thenFails("QuoteExpired", { message: /can't be changed/ });
    given(anExpiredQuote()).when({ type: "SubmitQuote", quoteId: QUOTE_ID }).thenFails("QuoteExpired", { message: /can't be submitted/ });
  });

  it("still checks the actor first", () => {
    given(anExpiredQuote()).when({ type: "ApproveQuote", quoteId: QUOTE_ID }, { actor: CUSTOMER }).thenFails("AgentRequired");
  });
});
