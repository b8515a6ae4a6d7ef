import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { QUOTE_COMMAND_TYPES, isQuoteCommandType } from "./commands";
import { QUOTE_EVENT_TYPES, isQuoteEventType } from "./events";
import { evolve, foldQuote } from "./evolve";
import { initialQuoteState } from "./state";
import {
  CONTACT,
  FAMILY_OF_FOUR,
  QUOTE_ID,
  SAN_FRANCISCO,
  TORONTO,
  aCompleteDraft,
  aReferredQuote,
  aSubmittedQuote,
  applicationNumberAssigned,
  applicationNumberRequestFailed,
  geographicDetailsCaptured,
  quoteApproved,
  quoteCancelled,
  quoteStarted,
  quoteSubmitted,
} from "./testing/fixtures";

describe("evolve / foldQuote", () => {
  it("starts from nothing", () => {
    assert.deepEqual(foldQuote([]), initialQuoteState);
    assert.equal(initialQuoteState.status, "none");
    assert.equal(initialQuoteState.version, 0);
  });

  it("a started quote is a draft with its id", () => {
    const state = foldQuote([quoteStarted()]);
    assert.equal(state.status, "draft");
    assert.equal(state.quoteId, QUOTE_ID);
    assert.equal(state.version, 1);
  });

  it("keeps the latest capture of each page", () => {
    const state = foldQuote([...aCompleteDraft(), geographicDetailsCaptured(TORONTO)]);
    assert.deepEqual(state.geographicDetails, TORONTO);
    assert.deepEqual(state.contactDetails, CONTACT);
    assert.deepEqual(state.familyDetails, FAMILY_OF_FOUR);
    assert.equal(state.version, 5);
  });

  it("a submitted quote holds its premium and validity", () => {
    const submitted = quoteSubmitted("2027-01-01");
    const state = foldQuote([...aCompleteDraft(), submitted]);
    assert.equal(state.status, "submitted");
    assert.equal(state.validUntil, "2027-01-01");
    assert.ok(submitted.type === "QuoteSubmitted");
    assert.deepEqual(state.premium, submitted.data.premium);
    assert.deepEqual(state.geographicDetails, SAN_FRANCISCO);
  });

  it("tracks application-number failures until a number is assigned", () => {
    const failed = foldQuote([...aSubmittedQuote(), applicationNumberRequestFailed()]);
    assert.equal(failed.applicationNumberFailed, true);
    assert.equal(failed.applicationNumber, null);
    const assigned = foldQuote([
      ...aSubmittedQuote(),
      applicationNumberRequestFailed(),
      applicationNumberAssigned("APP-9"),
    ]);
    assert.equal(assigned.applicationNumberFailed, false);
    assert.equal(assigned.applicationNumber, "APP-9");
  });

  it("a referral is replaced by the final decision", () => {
    const referred = foldQuote(aReferredQuote());
    assert.equal(referred.status, "referred");
    assert.deepEqual(referred.decision, { outcome: "referred", reason: "Needs an underwriter", agentId: "agent-42" });
    const approved = foldQuote([...aReferredQuote(), quoteApproved(null, "agent-7")]);
    assert.equal(approved.status, "approved");
    assert.deepEqual(approved.decision, { outcome: "approved", reason: null, agentId: "agent-7" });
  });

  it("a cancelled quote keeps what it had", () => {
    const state = foldQuote([...aSubmittedQuote(), quoteCancelled()]);
    assert.equal(state.status, "cancelled");
    assert.notEqual(state.premium, null);
  });

  it("never mutates the state it is given", () => {
    const before = foldQuote(aCompleteDraft());
    const snapshot = structuredClone(before);
    evolve(before, quoteCancelled());
    assert.deepEqual(before, snapshot);
  });

  it("accepts recorded events (the envelope is ignored)", () => {
    const recorded = {
      ...quoteStarted(),
      eventId: "e-1",
      quoteId: QUOTE_ID,
      version: 1,
      occurredAt: "2026-11-26T10:00:00.000Z",
      correlationId: "c-1",
      causationId: null,
      actor: { kind: "customer" as const },
    };
    assert.equal(foldQuote([recorded]).status, "draft");
  });
});

describe("catalogues", () => {
  it("lists the event types, and only they are event types", () => {
    assert.equal(QUOTE_EVENT_TYPES.length, 18);
    assert.ok(!QUOTE_EVENT_TYPES.includes("ApplicationNumberRequested" as never));
    assert.ok(isQuoteEventType("QuoteSubmitted"));
    assert.ok(!isQuoteEventType("toString"));
  });

  it("lists the command types, and only they are command types", () => {
    assert.equal(QUOTE_COMMAND_TYPES.length, 18);
    assert.ok(isQuoteCommandType("CancelQuote"));
    assert.ok(!isQuoteCommandType("constructor"));
  });
});
