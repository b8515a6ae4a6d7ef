import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import pg from "pg";
import { config } from "../config";
import { prisma } from "../db/prisma";
import type { QuoteEvent } from "../domain/quote";
import { countEventLogAfter, readEventLogAfter } from "../projections/postgres-projector";
import { hashAccessToken } from "../access/quote-access";
import { ConcurrencyConflictError, IdempotencyReplayError } from "./errors";
import { createEventStore } from "./event-store";

after(() => prisma().$disconnect());

const store = createEventStore(prisma());
const metadata = { correlationId: "test", causationId: null, actor: { kind: "system" as const, name: "event-store test" } };
const started = (quoteId: string): QuoteEvent => ({ type: "QuoteStarted", data: { quoteId } }) as QuoteEvent;
const noted = (n: number): QuoteEvent => ({ type: "ApplicationNumberRequestFailed", data: { reason: `note ${n}` } }) as QuoteEvent;

/** Follows the event log the way the embedded projector does, from the start, keeping only `ours`. */
async function followLog(ours: Set<string>, from: bigint) {
  const seen: { streamId: string; version: number; position: bigint }[] = [];
  let cursor = from;
  for (;;) {
    const rows = await readEventLogAfter(prisma(), cursor, 500);
    if (rows.length === 0) return { seen, cursor };
    cursor = rows[rows.length - 1]!.position;
    seen.push(...rows.filter((row) => ours.has(row.streamId)).map((row) => ({ streamId: row.streamId, version: row.version, position: row.position })));
  }
}

async function lastPosition(): Promise<bigint> {
  const [row] = await prisma().$queryRaw<{ position: bigint }[]>`SELECT coalesce(max(position), -1)::bigint AS position FROM events`;
  return row!.position;
}

describe("event store without a global append lock", () => {
  it("a reader following the log never passes an event that commits after one with a higher position", async () => {
    const from = await lastPosition();
    const early = randomUUID();
    const late = randomUUID();
    await store.append(early, 0, [started(early)], metadata);
    const { cursor } = await followLog(new Set([early]), from);

    // An append that has taken its position but not yet committed, as a slow writer would.
    const slow = new pg.Client({ connectionString: config().DATABASE_URL });
    await slow.connect();
    try {
      await slow.query("BEGIN");
      await slow.query(
        `INSERT INTO events (event_id, stream_id, version, type, data, correlation_id, actor, occurred_at) VALUES ($1, $2, 1, 'QuoteStarted', $3, 'test', '{"kind":"system","name":"event-store test"}', now())`,
        [randomUUID(), late, JSON.stringify({ quoteId: late })],
      );
      const overtaking = randomUUID();
      await store.append(overtaking, 0, [started(overtaking)], metadata);

      const whileOpen = await followLog(new Set([late, overtaking]), cursor);
      assert.deepEqual(whileOpen.seen, [], "nothing is read past a transaction still running, not even the event that committed");
      assert.equal(await countEventLogAfter(prisma(), cursor), 1, "the committed event counts as lag meanwhile");

      await slow.query("COMMIT");
      const afterCommit = await followLog(new Set([late, overtaking]), cursor);
      assert.deepEqual(afterCommit.seen.map((e) => e.streamId).sort(), [late, overtaking].sort(), "both events, each once");
      const positions = Object.fromEntries(afterCommit.seen.map((e) => [e.streamId, e.position]));
      assert.ok(positions[late]! < positions[overtaking]!, "the late event really had the lower position");
    } finally {
      await slow.end();
    }
  });

  it("many writers appending at once: every event is read exactly once, each quote's in version order", async () => {
    const from = await lastPosition();
    const quotes = Array.from({ length: 24 }, () => randomUUID());
    const eventsPerQuote = 8;
    const ours = new Set(quotes);
    const seen: { streamId: string; version: number }[] = [];
    let writing = true;
    const reader = (async () => {
      let cursor = from;
      while (writing) {
        const step = await followLog(ours, cursor);
        cursor = step.cursor;
        seen.push(...step.seen);
      }
      seen.push(...(await followLog(ours, cursor)).seen);
    })();
    // Each quote has its own writer; all of them race for the table at once.
    await Promise.all(
      quotes.map(async (quoteId) => {
        await store.append(quoteId, 0, [started(quoteId)], metadata);
        for (let version = 1; version < eventsPerQuote; version++) await store.append(quoteId, version, [noted(version)], metadata);
      }),
    );
    writing = false;
    await reader;

    assert.equal(seen.length, quotes.length * eventsPerQuote, "every event once: none skipped, none twice");
    for (const quoteId of quotes) {
      const versions = seen.filter((e) => e.streamId === quoteId).map((e) => e.version);
      assert.deepEqual(versions, Array.from({ length: eventsPerQuote }, (_, i) => i + 1), `quote ${quoteId} in order`);
    }
  });

  it("two appends at the same version: one wins, the other writes nothing and learns the actual version", async () => {
    const quoteId = randomUUID();
    await store.append(quoteId, 0, [started(quoteId)], metadata);
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((n) => store.append(quoteId, 1, [noted(n)], metadata, { schedule: [{ type: "RequestApplicationNumber", payload: { quoteId, n } }] })));
    const won = outcomes.filter((o) => o.status === "fulfilled");
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    assert.equal(won.length, 1);
    assert.equal(lost.length, 3);
    for (const loss of lost) {
      assert.ok(loss.reason instanceof ConcurrencyConflictError, String(loss.reason));
      assert.equal(loss.reason.actualVersion, 2);
    }
    assert.equal((await store.readStream(quoteId)).length, 2);
    assert.equal(await prisma().scheduledCommand.count({ where: { streamId: quoteId } }), 1, "only the winner's scheduled command");
  });

  it("an append ahead of the stream is refused, so a stream never has a gap", async () => {
    const quoteId = randomUUID();
    await store.append(quoteId, 0, [started(quoteId)], metadata);
    await assert.rejects(store.append(quoteId, 3, [noted(4)], metadata), (error) => error instanceof ConcurrencyConflictError && error.actualVersion === 1);
    assert.deepEqual((await store.readStream(quoteId)).map((e) => e.version), [1]);
  });

  it("an idempotency key claimed once writes nothing the second time, and an expired one is claimed again", async () => {
    const quoteId = randomUUID();
    const key = randomUUID();
    const claim = { scope: `quote:${quoteId}`, key, commandType: "Test", fingerprint: "f", response: { first: true } };
    await store.append(quoteId, 0, [started(quoteId)], metadata, { idempotency: claim });
    await assert.rejects(store.append(quoteId, 1, [noted(1)], metadata, { idempotency: claim, schedule: [{ type: "RequestApplicationNumber", payload: { quoteId } }] }), IdempotencyReplayError);
    assert.equal((await store.readStream(quoteId)).length, 1);
    assert.equal(await prisma().scheduledCommand.count({ where: { streamId: quoteId } }), 0, "the repeat scheduled nothing");

    await prisma().idempotencyRecord.update({ where: { scope_key: { scope: claim.scope, key } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await store.append(quoteId, 1, [noted(1)], metadata, { idempotency: { ...claim, response: { second: true } } });
    assert.deepEqual((await store.findIdempotentResult(claim.scope, key))?.response, { second: true });
  });

  it("a new quote's access token is written with its first event, or not at all", async () => {
    const quoteId = randomUUID();
    const tokenHash = hashAccessToken(randomUUID() + randomUUID());
    await store.append(quoteId, 0, [started(quoteId)], metadata);
    await assert.rejects(store.append(quoteId, 0, [started(quoteId)], metadata, { grantAccess: { tokenHash, kind: "device" } }), ConcurrencyConflictError);
    assert.equal(await prisma().quoteAccessToken.count({ where: { tokenHash } }), 0, "the refused append granted nothing");

    const other = randomUUID();
    await store.append(other, 0, [started(other)], metadata, { grantAccess: { tokenHash, kind: "device" } });
    const reads = await store.readForCommand(other, { tokenHash });
    assert.equal(reads.access?.quoteId, other);
    assert.equal(reads.events.length, 1);
  });
});
