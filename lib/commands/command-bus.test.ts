import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { PrismaClient } from "../generated/prisma/client";
import { message } from "../cqrs/message";
import type { RateLimiter } from "../cqrs/middleware/quote-start-throttle";
import type { Actor } from "../domain/quote";
import { createInMemoryEventStore } from "../eventstore/in-memory-event-store";
import { createCommandBus } from "../services";
import type { StartQuoteResponse } from "./start-quote";

const customer: Actor = { kind: "customer" };
const agent: Actor = { kind: "agent", agentId: "agent-1" };
const contact = { email: "ada@example.com", phoneNumber: "+1 415 555 0100" };
const geographic = { country: "US", state: "CA", city: "San Francisco", zipCode: "94103" };
const family = { numberOfDependents: 2, spouseName: "Grace", childrenNames: ["Alan", "Barbara"] };

function memoryLimiter(points: number): RateLimiter {
  const limiter = new RateLimiterMemory({ points, duration: 60 });
  return {
    hit: (key) =>
      limiter.consume(key).then(
        () => ({ allowed: true as const }),
        (refusal: { msBeforeNext: number }) => ({ allowed: false as const, retryAfterSeconds: Math.ceil(refusal.msBeforeNext / 1000) }),
      ),
  };
}

/** The real command bus and handlers over the in-memory event store: no database is touched by these commands. */
function bus(options: { quoteStarts?: number } = {}) {
  const store = createInMemoryEventStore();
  const commandBus = createCommandBus({
    // Only the access commands (resume links) use the database directly; none of them runs here.
    db: null as unknown as PrismaClient,
    databaseUrl: "postgresql://unused.invalid/quotes",
    store,
    access: { idleDays: 30 },
    now: () => new Date(),
    quoteStartLimiter: memoryLimiter(options.quoteStarts ?? 1_000),
  });
  const run = <T = unknown>(type: string, payload: Record<string, unknown>, metadata: { actor?: Actor; accessToken?: string; idempotencyKey?: string; expectedVersion?: number; clientAddress?: string } = {}) =>
    commandBus.execute<T>(message(type, payload, { actor: customer, ...metadata }));
  const start = async () => {
    const started = await run<StartQuoteResponse>("StartQuote", {}, { clientAddress: "203.0.113.7" });
    assert.ok(started.ok, JSON.stringify(started));
    return started.value;
  };
  return { store, run, start };
}

describe("command bus over the in-memory event store", () => {
  it("StartQuote appends QuoteStarted, grants a token and schedules the application-number request and the draft's retention", async () => {
    const { store, start } = bus();
    const { quoteId, accessToken, version } = await start();
    assert.equal(version, 1);
    assert.ok(accessToken.length >= 40);
    assert.deepEqual((await store.readStream(quoteId)).map((e) => e.type), ["QuoteStarted"]);
    assert.deepEqual(store.scheduled.map((c) => [c.type, c.streamId]), [["RequestApplicationNumber", quoteId], ["ApplyDataRetention", quoteId]]);
  });

  it("a page save needs the quote's own token: another quote's token, or none, finds no quote", async () => {
    const { run, start } = bus();
    const mine = await start();
    const theirs = await start();
    const saved = await run("CaptureContactDetails", { quoteId: mine.quoteId, details: contact }, { accessToken: mine.accessToken });
    assert.ok(saved.ok);
    for (const accessToken of [theirs.accessToken, undefined]) {
      const refused = await run("CaptureContactDetails", { quoteId: mine.quoteId, details: contact }, { accessToken });
      assert.ok(!refused.ok && refused.error.kind === "not_found", JSON.stringify(refused));
    }
  });

  it("bad input is refused naming the field, and nothing is appended", async () => {
    const { store, run, start } = bus();
    const { quoteId, accessToken } = await start();
    const refused = await run("CaptureContactDetails", { quoteId, details: { ...contact, email: "not an email" } }, { accessToken });
    assert.ok(!refused.ok && refused.error.kind === "validation");
    assert.ok(refused.error.kind === "validation" && refused.error.errors.some((e) => e.path === "details.email"), JSON.stringify(refused.error));
    assert.equal((await store.readStream(quoteId)).length, 1);
  });

  it("a repeat with the same Idempotency-Key answers the first response and appends once; another request with it is refused", async () => {
    const { store, run, start } = bus();
    const { quoteId, accessToken } = await start();
    const key = randomUUID();
    const first = await run("CaptureContactDetails", { quoteId, details: contact }, { accessToken, idempotencyKey: key });
    const again = await run("CaptureContactDetails", { quoteId, details: contact }, { accessToken, idempotencyKey: key });
    assert.deepEqual(again, first);
    assert.equal((await store.readStream(quoteId)).length, 2);
    const different = await run("CaptureContactDetails", { quoteId, details: { ...contact, email: "grace@example.com" } }, { accessToken, idempotencyKey: key });
    assert.ok(!different.ok && different.error.kind === "unprocessable" && different.error.code === "IdempotencyKeyReused");
  });

  it("a save sent at an older version stands when what changed since left its page alone", async () => {
    const { store, run, start } = bus();
    const { quoteId, accessToken } = await start();
    assert.ok((await run("CaptureContactDetails", { quoteId, details: contact }, { accessToken, expectedVersion: 1 })).ok);
    const saved = await run<{ version: number }>("CaptureGeographicDetails", { quoteId, details: geographic }, { accessToken, expectedVersion: 1 });
    assert.ok(saved.ok && saved.value.version === 3, JSON.stringify(saved));
    assert.deepEqual((await store.readStream(quoteId)).map((e) => e.type), ["QuoteStarted", "ContactDetailsCaptured", "GeographicDetailsCaptured"]);
  });

  it("a save sent at an older version whose page someone changed since is refused with the latest answers, and writes nothing", async () => {
    const { store, run, start } = bus();
    const { quoteId, accessToken } = await start();
    assert.ok((await run("CaptureContactDetails", { quoteId, details: contact }, { accessToken, expectedVersion: 1 })).ok);
    const stale = await run("CaptureContactDetails", { quoteId, details: { ...contact, email: "grace@example.com" } }, { accessToken, expectedVersion: 1 });
    assert.ok(!stale.ok && stale.error.kind === "precondition_failed", JSON.stringify(stale));
    assert.equal(stale.error.currentVersion, 2);
    assert.deepEqual(stale.error.latest.contactDetails, contact);
    assert.equal((await store.readStream(quoteId)).length, 2);
  });

  it("a quote is submitted only with every page answered, and then priced", async () => {
    const { run, start } = bus();
    const { quoteId, accessToken } = await start();
    const early = await run("SubmitQuote", { quoteId }, { accessToken });
    assert.ok(!early.ok && early.error.kind === "domain", JSON.stringify(early));
    for (const [type, details] of [["CaptureGeographicDetails", geographic], ["CaptureContactDetails", contact], ["CaptureFamilyDetails", family]] as const) {
      assert.ok((await run(type, { quoteId, details }, { accessToken })).ok, type);
    }
    const submitted = await run<{ status: string; premium: unknown }>("SubmitQuote", { quoteId }, { accessToken });
    assert.ok(submitted.ok, JSON.stringify(submitted));
    assert.equal(submitted.value.status, "submitted");
    assert.ok(submitted.value.premium);
  });

  it("only an agent decides: a customer holding the token is told to sign in", async () => {
    const { run, start } = bus();
    const { quoteId, accessToken } = await start();
    const byCustomer = await run("ApproveQuote", { quoteId }, { accessToken });
    assert.ok(!byCustomer.ok && byCustomer.error.kind === "unauthorized", JSON.stringify(byCustomer));
    const byAgent = await run("ApproveQuote", { quoteId }, { actor: agent });
    assert.ok(!byAgent.ok && byAgent.error.kind === "domain", "an agent may decide, but not on a quote not yet submitted");
  });

  it("starting quotes is limited per client address", async () => {
    const { run } = bus({ quoteStarts: 2 });
    const starts = [];
    for (let i = 0; i < 3; i++) starts.push(await run("StartQuote", {}, { clientAddress: "198.51.100.9" }));
    assert.deepEqual(starts.map((s) => s.ok), [true, true, false]);
    assert.ok(!starts[2]!.ok && starts[2]!.error.kind === "too_many_requests");
    assert.ok((await run("StartQuote", {}, { clientAddress: "198.51.100.10" })).ok, "another address has its own budget");
  });
});
