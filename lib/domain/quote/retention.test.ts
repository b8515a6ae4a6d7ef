import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evolve, foldQuote } from "./evolve";
import { initialQuoteState } from "./state";
import { retentionDeadline, type RetentionSettings } from "./retention";
import {
  QUOTE_ID,
  aCancelledDraft,
  aCompleteDraft,
  aDraft,
  aReferredQuote,
  aRejectedQuote,
  aSubmittedQuote,
  aWithdrawnSubmittedQuote,
  anApprovedQuote,
  anExpiredQuote,
  personalDataErased,
  quoteApproved,
  quoteCancelled,
  quoteExpired,
  quoteStarted,
  quoteSubmitted,
} from "./testing/fixtures";
import { given } from "./testing/given-when-then";
import type { QuoteEvent } from "./events";

const RETENTION_WORKER = { kind: "system", name: "privacy-retention" } as const;
const DUE = "2027-02-24T10:00:00.000Z";
const applyDraft = { type: "ApplyDataRetention", quoteId: QUOTE_ID, period: "draft", dueAt: DUE } as const;
const applyClosed = { type: "ApplyDataRetention", quoteId: QUOTE_ID, period: "closed", dueAt: DUE } as const;
const AT_DUE = { now: new Date(DUE), actor: RETENTION_WORKER };
const DRAFT_ERASED = personalDataErased("Retention: not submitted within the period drafts are kept", "system");
const CLOSED_ERASED = personalDataErased("Retention: the period kept after the quote ended has passed", "system");

describe("ApplyDataRetention (the platform, when a retention period ends)", () => {
  it("erases a draft nobody submitted, recording that the platform did it and why", () => {
    given(aCompleteDraft()).when(applyDraft, AT_DUE).then([DRAFT_ERASED]);
  });

  it("erases a draft withdrawn before it was submitted under the draft rule", () => {
    given(aCancelledDraft()).when(applyDraft, AT_DUE).then([DRAFT_ERASED]);
  });

  it("leaves a draft that was submitted since: the draft rule no longer applies", () => {
    given(aSubmittedQuote()).when(applyDraft, AT_DUE).thenFails("RetentionNotApplicable", { message: /submitted, no longer an unsubmitted draft/ });
    given(anApprovedQuote()).when(applyDraft, AT_DUE).thenFails("RetentionNotApplicable");
  });

  it("erases a submitted quote that ended: approved, rejected, withdrawn or expired", () => {
    for (const history of [anApprovedQuote(), aRejectedQuote(), aWithdrawnSubmittedQuote(), anExpiredQuote()]) {
      given(history).when(applyClosed, AT_DUE).then([CLOSED_ERASED]);
    }
  });

  it("leaves a quote still waiting for an agent under the closed rule", () => {
    given(aReferredQuote()).when(applyClosed, AT_DUE).thenFails("RetentionNotApplicable");
    given(aSubmittedQuote()).when(applyClosed, AT_DUE).thenFails("RetentionNotApplicable");
  });

  it("refuses before its deadline, so a command run early changes nothing", () => {
    given(aDraft()).when(applyDraft, { now: new Date(Date.parse(DUE) - 1), actor: RETENTION_WORKER }).thenFails("RetentionNotDue");
  });

  it("has nothing to do once the data was erased, and refuses a quote that does not exist", () => {
    given([...aDraft(), personalDataErased()]).when(applyDraft, AT_DUE).thenFails("PersonalDataErased");
    given([]).when(applyDraft, AT_DUE).thenFails("QuoteNotFound");
  });
});

describe("retentionDeadline (when a period starts)", () => {
  const NOW = new Date("2026-11-26T10:00:00.000Z");
  const SETTINGS: RetentionSettings = { draftSeconds: 90 * 86_400, closedSeconds: 60 };
  const deadlineOf = (history: QuoteEvent[], next: QuoteEvent, settings = SETTINGS) => retentionDeadline(foldQuote(history), evolve(foldQuote(history), next), NOW, settings);

  it("starts the draft period when a quote is started", () => {
    assert.deepEqual(retentionDeadline(initialQuoteState, evolve(initialQuoteState, quoteStarted()), NOW, SETTINGS), { period: "draft", dueAt: "2027-02-24T10:00:00.000Z" });
  });

  it("starts the closed period when a submitted quote ends, and not before", () => {
    assert.deepEqual(deadlineOf(aSubmittedQuote(), quoteApproved()), { period: "closed", dueAt: "2026-11-26T10:01:00.000Z" });
    assert.deepEqual(deadlineOf(aSubmittedQuote(), quoteCancelled())?.period, "closed");
    assert.deepEqual(deadlineOf(aReferredQuote(), quoteExpired())?.period, "closed");
    assert.equal(deadlineOf(aCompleteDraft(), quoteSubmitted()), null);
  });

  it("starts none when a draft is withdrawn (its draft period runs on) or for a period set to keep", () => {
    assert.equal(deadlineOf(aDraft(), quoteCancelled()), null);
    assert.equal(deadlineOf(aSubmittedQuote(), quoteApproved(), { draftSeconds: null, closedSeconds: null }), null);
  });
});
