// Personal data is erased when its retention period ends: a durable ApplyDataRetention is written with the events
// that start a period (a new draft; a submitted quote's end), and the worker's scheduled-command runner erases then.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { customerQuote, inProcessCommandBus, runRoundsUntil, sendCommand } from "../commands/testing/in-process-bus";
import { foldQuote, isErased, type Actor } from "../domain/quote";
import { createEventStore } from "../eventstore/event-store";
import type { ApplicationNumberClient } from "../integrations/application-number-client";
import { createLogger } from "../logging/logger";
import { createScheduledCommandProcessor } from "./scheduled-commands";

const DRAFT_SECONDS = 2;
const CLOSED_SECONDS = 3;
const agent: Actor = { kind: "agent", agentId: "agent-retention" };

const store = createEventStore(prisma());
const commandBus = inProcessCommandBus(store, { retention: { draftSeconds: DRAFT_SECONDS, closedSeconds: CLOSED_SECONDS } });
let numbers = 0;
const client = {
  requestNumber: async () => ({ ok: true, applicationNumber: `APP-2026-${String(800_000 + (Date.now() % 90_000) + ++numbers).padStart(6, "0")}`, attempts: 1 }),
  breakerState: () => "closed",
} as unknown as ApplicationNumberClient;
const worker = createScheduledCommandProcessor({ db: prisma(), commandBus, client, log: createLogger("data-retention-test") });

before(async () => {
  // The suites share one database: commands queued by other files must not be run (or wait in line) here.
  await prisma().scheduledCommand.deleteMany({ where: { status: "pending" } });
});
after(async () => {
  await prisma().$disconnect();
});

const run = <T>(type: string, payload: Record<string, unknown>, metadata: { actor?: Actor; accessToken?: string } = {}) => sendCommand<T>(commandBus, type, payload, metadata);
const completeDraft = () => customerQuote(commandBus, { submit: false });

const retentionOf = (quoteId: string, period: "draft" | "closed") =>
  prisma().scheduledCommand.findFirst({ where: { streamId: quoteId, type: "ApplyDataRetention", payload: { path: ["period"], equals: period } } });
const quoteOf = async (quoteId: string) => foldQuote(await store.readStream(quoteId));
const hasDataKey = async (quoteId: string) => (await prisma().quoteDataKey.count({ where: { quoteId } })) === 1;

const runUntil = (done: () => Promise<boolean>) => runRoundsUntil(() => worker.runDue(), done);

describe("data retention: erasure by a durable scheduled command when a period ends", () => {
  it("a draft nobody submits is erased when the draft period ends, not before; its answers and data key are gone", async () => {
    const { quoteId } = await completeDraft();
    const scheduled = await retentionOf(quoteId, "draft");
    assert.ok(scheduled, "queued with QuoteStarted");
    const started = (await store.readStream(quoteId))[0]!;
    assert.ok(Math.abs(scheduled.runAfter.getTime() - Date.parse(started.occurredAt) - DRAFT_SECONDS * 1000) < 5, "due DRAFT_SECONDS after the quote was started");
    assert.equal(scheduled.correlationId, started.correlationId);

    await worker.runDue();
    assert.equal((await quoteOf(quoteId)).personalDataErased, false, "kept before its deadline");

    await runUntil(async () => (await quoteOf(quoteId)).personalDataErased);
    const history = await store.readStream(quoteId);
    const erased = history.at(-1)!;
    assert.equal(erased.type, "PersonalDataErased");
    assert.deepEqual(erased.actor, { kind: "system", name: "privacy-retention" });
    assert.ok(erased.type === "PersonalDataErased" && erased.data.erasedBy === "system" && /not submitted/.test(erased.data.reason));
    const quote = foldQuote(history);
    assert.ok(isErased(quote.contactDetails!.email) && isErased(quote.contactDetails!.phoneNumber), "the contact details no longer decrypt");
    assert.equal(await hasDataKey(quoteId), false);
    await runUntil(async () => (await retentionOf(quoteId, "draft"))?.status === "done");
  });

  it("a draft submitted in time is kept; once an agent decides it, the closed period runs and then erases it", async () => {
    const { quoteId, accessToken } = await completeDraft();
    const submitted = await run("SubmitQuote", { quoteId }, { accessToken });
    assert.ok(submitted.ok, JSON.stringify(submitted));
    assert.equal(await retentionOf(quoteId, "closed"), null, "no closed period while the quote waits for an agent");

    await runUntil(async () => (await retentionOf(quoteId, "draft"))?.status === "done");
    assert.equal((await quoteOf(quoteId)).personalDataErased, false, "the draft rule no longer erases a submitted quote");

    const approved = await run("ApproveQuote", { quoteId }, { actor: agent });
    assert.ok(approved.ok, JSON.stringify(approved));
    const closed = await retentionOf(quoteId, "closed");
    assert.ok(closed, "queued with QuoteApproved");
    await runUntil(async () => (await quoteOf(quoteId)).personalDataErased);
    const quote = await quoteOf(quoteId);
    assert.equal(quote.status, "approved", "the decision stays");
    assert.ok(quote.premium, "the premium stays");
    assert.ok(isErased(quote.contactDetails!.email) && isErased(quote.geographicDetails!.city));
    await runUntil(async () => (await retentionOf(quoteId, "closed"))?.status === "done");
  });

  it("a quote the customer already erased is left alone: the scheduled erasure is done with nothing to do", async () => {
    const { quoteId, accessToken } = await completeDraft();
    const erased = await run("EraseQuotePersonalData", { quoteId, reason: "Please forget me" }, { accessToken });
    assert.ok(erased.ok, JSON.stringify(erased));
    await runUntil(async () => (await retentionOf(quoteId, "draft"))?.status === "done");
    assert.deepEqual((await store.readStream(quoteId)).filter((event) => event.type === "PersonalDataErased").length, 1);
  });
});
