// A submitted quote expires through the worker: SubmitQuote writes a durable ExpireQuote for the quote's expiry
// moment in the same statement as its events, and the worker's scheduled-command runner appends QuoteExpired then.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { customerQuote, inProcessCommandBus, runRoundsUntil, sendCommand } from "../commands/testing/in-process-bus";
import type { Actor } from "../domain/quote";
import { createEventStore } from "../eventstore/event-store";
import type { ApplicationNumberClient } from "../integrations/application-number-client";
import { createLogger } from "../logging/logger";
import type { RequoteResponse } from "../commands/requote-quote";
import { createScheduledCommandProcessor } from "./scheduled-commands";

const VALIDITY_SECONDS = 2;
const agent: Actor = { kind: "agent", agentId: "agent-expiry" };

const store = createEventStore(prisma());
const commandBus = inProcessCommandBus(store, { validity: { seconds: VALIDITY_SECONDS } });
// The application-number requests these quotes also queue answer at once: only the expiry is under test.
let numbers = 0;
const client = {
  requestNumber: async () => ({ ok: true, applicationNumber: `APP-2026-${String(900_000 + (Date.now() % 90_000) + ++numbers).padStart(6, "0")}`, attempts: 1 }),
  breakerState: () => "closed",
} as unknown as ApplicationNumberClient;
const worker = createScheduledCommandProcessor({ db: prisma(), commandBus, client, log: createLogger("quote-expiry-test") });

before(async () => {
  // The suites share one database: commands queued by other files must not be run (or wait in line) here.
  await prisma().scheduledCommand.deleteMany({ where: { status: "pending" } });
});
after(async () => {
  await prisma().$disconnect();
});

const run = <T>(type: string, payload: Record<string, unknown>, metadata: { actor?: Actor; accessToken?: string } = {}) => sendCommand<T>(commandBus, type, payload, metadata);
const submittedQuote = () => customerQuote(commandBus);

const eventTypes = async (quoteId: string) => (await store.readStream(quoteId)).map((event) => event.type);
const expiryOf = (quoteId: string) => prisma().scheduledCommand.findFirstOrThrow({ where: { streamId: quoteId, type: "ExpireQuote" } });

const runUntil = (done: () => Promise<boolean>) => runRoundsUntil(() => worker.runDue(), done);

describe("quote expiry: a durable scheduled command run by the worker", () => {
  it("submitting queues ExpireQuote for the quote's expiry moment, written with QuoteSubmitted", async () => {
    const { quoteId } = await submittedQuote();
    const [submitted] = (await store.readStream(quoteId)).filter((event) => event.type === "QuoteSubmitted");
    assert.ok(submitted?.type === "QuoteSubmitted");
    const expiresAt = submitted.data.expiresAt!;
    assert.ok(Math.abs(Date.parse(expiresAt) - Date.parse(submitted.occurredAt) - VALIDITY_SECONDS * 1000) < 5, "expires VALIDITY_SECONDS after submission");
    const scheduled = await expiryOf(quoteId);
    assert.equal(scheduled.status, "pending");
    assert.equal(scheduled.runAfter.toISOString(), expiresAt);
    assert.equal(scheduled.correlationId, submitted.correlationId, "caused by the same action as QuoteSubmitted");
  });

  it("the worker appends QuoteExpired at the expiry moment, not before, and an agent can no longer decide the quote", async () => {
    const { quoteId } = await submittedQuote();
    await worker.runDue();
    assert.ok(!(await eventTypes(quoteId)).includes("QuoteExpired"), "not expired before its moment");
    assert.equal((await expiryOf(quoteId)).status, "pending");

    await runUntil(async () => (await eventTypes(quoteId)).includes("QuoteExpired"));
    const expired = (await store.readStream(quoteId)).find((event) => event.type === "QuoteExpired")!;
    const scheduled = await expiryOf(quoteId);
    assert.deepEqual(expired.actor, { kind: "system", name: "quote-expiry" });
    assert.equal(expired.causationId, scheduled.id);
    const submitted = (await store.readStream(quoteId)).find((event) => event.type === "QuoteSubmitted")!;
    assert.ok(submitted.type === "QuoteSubmitted" && Date.parse(expired.occurredAt) >= Date.parse(submitted.data.expiresAt!), "recorded at or after the expiry moment");
    await runUntil(async () => (await expiryOf(quoteId)).status === "done");

    const approve = await run("ApproveQuote", { quoteId, reason: "Fine" }, { actor: agent });
    assert.ok(!approve.ok);
    assert.equal(approve.error.kind, "domain");
    assert.equal((approve.error as { code: string }).code, "QuoteExpired");
    assert.match(approve.error.detail, /expired .*can't be approved/);
  });

  it("a quote approved before its expiry moment is left as it is; its ExpireQuote is done with nothing to do", async () => {
    const { quoteId } = await submittedQuote();
    const approved = await run("ApproveQuote", { quoteId }, { actor: agent });
    assert.ok(approved.ok, JSON.stringify(approved));
    await runUntil(async () => (await expiryOf(quoteId)).status !== "pending");
    assert.equal((await expiryOf(quoteId)).status, "done");
    assert.ok(!(await eventTypes(quoteId)).includes("QuoteExpired"));
  });

  it("the customer starts a new quote with the expired quote's answers, with a token of its own", async () => {
    const { quoteId, accessToken } = await submittedQuote();
    const tooEarly = await run("RequoteQuote", { quoteId }, { accessToken });
    assert.ok(!tooEarly.ok);
    assert.equal((tooEarly.error as { code?: string }).code, "QuoteNotExpired");
    await runUntil(async () => (await eventTypes(quoteId)).includes("QuoteExpired"));

    const stranger = await run("RequoteQuote", { quoteId }, { accessToken: "not-this-quotes-token-0000000000000000000000" });
    assert.ok(!stranger.ok);
    assert.equal(stranger.error.kind, "not_found");

    const requoted = await run<RequoteResponse>("RequoteQuote", { quoteId }, { accessToken });
    assert.ok(requoted.ok, JSON.stringify(requoted));
    assert.notEqual(requoted.value.quoteId, quoteId);
    assert.notEqual(requoted.value.accessToken, accessToken);
    assert.deepEqual(await eventTypes(requoted.value.quoteId), ["QuoteStarted", "QuoteRequoted", "GeographicDetailsCaptured", "ContactDetailsCaptured", "FamilyDetailsCaptured"]);
    const submitted = await run("SubmitQuote", { quoteId: requoted.value.quoteId }, { accessToken: requoted.value.accessToken });
    assert.ok(submitted.ok, JSON.stringify(submitted));
    const oldTokenOnNewQuote = await run("SubmitQuote", { quoteId: requoted.value.quoteId }, { accessToken });
    assert.equal(!oldTokenOnNewQuote.ok && oldTokenOnNewQuote.error.kind, "not_found");
  });
});
