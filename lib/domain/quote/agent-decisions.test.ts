import { describe, it } from "node:test";
import type { Actor } from "./actor";
import type { ApproveQuote } from "./commands";
import {
  QUOTE_ID,
  aCancelledDraft,
  aCompleteDraft,
  aReferredQuote,
  aRejectedQuote,
  aSubmittedQuote,
  anApprovedQuote,
} from "./testing/fixtures";
import { AGENT, CUSTOMER, SYSTEM, given } from "./testing/given-when-then";

const asAgent = { actor: AGENT };
const approve = (reason?: string): ApproveQuote =>
  reason === undefined
    ? { type: "ApproveQuote", quoteId: QUOTE_ID }
    : { type: "ApproveQuote", quoteId: QUOTE_ID, reason };
const reject = (reason: string) => ({ type: "RejectQuote", quoteId: QUOTE_ID, reason }) as const;
const refer = (reason: string) => ({ type: "ReferQuote", quoteId: QUOTE_ID, reason }) as const;

describe("only agents decide", () => {
  const notAgents: Actor[] = [CUSTOMER, SYSTEM];
  for (const actor of notAgents) {
    it(`refuses approve, reject and refer from a ${actor.kind}`, () => {
      given(aSubmittedQuote())
        .when(approve(), { actor })
        .thenFails("AgentRequired", { message: "Only an agent can approve a quote. Sign in as an agent to continue." });
      given(aSubmittedQuote()).when(reject("no"), { actor }).thenFails("AgentRequired", { message: /reject/ });
      given(aSubmittedQuote()).when(refer("hmm"), { actor }).thenFails("AgentRequired", { message: /refer/ });
    });
  }

  it("checks the actor before the quote, so a customer learns nothing about other quotes", () => {
    given([]).when(approve(), { actor: CUSTOMER }).thenFails("AgentRequired");
  });
});

describe("ApproveQuote", () => {
  it("approves a submitted quote, recording the agent and the reason", () => {
    given(aSubmittedQuote())
      .when(approve("Low risk"), asAgent)
      .then([{ type: "QuoteApproved", data: { reason: "Low risk", agentId: "agent-42" } }]);
  });

  it("approves without a reason (recorded as null); a blank reason counts as none", () => {
    given(aSubmittedQuote())
      .when(approve(), asAgent)
      .then([{ type: "QuoteApproved", data: { reason: null, agentId: "agent-42" } }]);
    given(aSubmittedQuote())
      .when(approve("   "), asAgent)
      .then([{ type: "QuoteApproved", data: { reason: null, agentId: "agent-42" } }]);
  });

  it("approves a referred quote", () => {
    given(aReferredQuote())
      .when(approve("Underwriter agreed"), { actor: { kind: "agent", agentId: "agent-7" } })
      .then([{ type: "QuoteApproved", data: { reason: "Underwriter agreed", agentId: "agent-7" } }]);
  });

  it("refuses a draft", () => {
    given(aCompleteDraft())
      .when(approve(), asAgent)
      .thenFails("QuoteNotSubmitted", { message: "This quote hasn't been submitted yet, so it can't be approved." });
  });

  it("refuses a quote already approved or rejected, saying which", () => {
    given(anApprovedQuote())
      .when(approve(), asAgent)
      .thenFails("QuoteAlreadyDecided", { message: "This quote has already been approved." });
    given(aRejectedQuote())
      .when(approve(), asAgent)
      .thenFails("QuoteAlreadyDecided", { message: "This quote has already been rejected, so it can't be approved." });
  });

  it("refuses a withdrawn quote", () => {
    given(aCancelledDraft())
      .when(approve(), asAgent)
      .thenFails("QuoteCancelled", { message: "This quote has been withdrawn by the customer, so it can't be approved." });
  });
});

describe("RejectQuote", () => {
  it("rejects a submitted quote with its reason", () => {
    given(aSubmittedQuote())
      .when(reject("Outside our appetite"), asAgent)
      .then([{ type: "QuoteRejected", data: { reason: "Outside our appetite", agentId: "agent-42" } }]);
  });

  it("rejects a referred quote", () => {
    given(aReferredQuote())
      .when(reject("Underwriter declined"), asAgent)
      .then([{ type: "QuoteRejected", data: { reason: "Underwriter declined", agentId: "agent-42" } }]);
  });

  it("needs a reason", () => {
    given(aSubmittedQuote())
      .when(reject("  "), asAgent)
      .thenFails("ReasonRequired", { message: "Enter a reason for rejecting this quote." });
  });

  it("refuses a draft", () => {
    given(aCompleteDraft())
      .when(reject("no"), asAgent)
      .thenFails("QuoteNotSubmitted", { message: /can't be rejected/ });
  });

  it("refuses a quote already decided", () => {
    given(anApprovedQuote())
      .when(reject("changed my mind"), asAgent)
      .thenFails("QuoteAlreadyDecided", { message: "This quote has already been approved, so it can't be rejected." });
    given(aRejectedQuote())
      .when(reject("again"), asAgent)
      .thenFails("QuoteAlreadyDecided", { message: "This quote has already been rejected." });
  });
});

describe("ReferQuote", () => {
  it("refers a submitted quote with its reason", () => {
    given(aSubmittedQuote())
      .when(refer("Needs an underwriter"), asAgent)
      .then([{ type: "QuoteReferred", data: { reason: "Needs an underwriter", agentId: "agent-42" } }]);
  });

  it("needs a reason", () => {
    given(aSubmittedQuote())
      .when(refer(""), asAgent)
      .thenFails("ReasonRequired", { message: "Enter a reason for referring this quote." });
  });

  it("refuses a quote already referred: referral only happens from submitted", () => {
    given(aReferredQuote())
      .when(refer("again"), asAgent)
      .thenFails("QuoteAlreadyDecided", { message: "This quote has already been referred for review." });
  });

  it("refuses a draft, a decided and a withdrawn quote", () => {
    given(aCompleteDraft()).when(refer("x"), asAgent).thenFails("QuoteNotSubmitted");
    given(anApprovedQuote()).when(refer("x"), asAgent).thenFails("QuoteAlreadyDecided", { message: /approved/ });
    given(aRejectedQuote()).when(refer("x"), asAgent).thenFails("QuoteAlreadyDecided", { message: /rejected/ });
    given(aCancelledDraft()).when(refer("x"), asAgent).thenFails("QuoteCancelled");
  });
});
