/**
 * Where the time of one command goes: the steps of PUT /api/quotes/{id}/contact-details, run in this process with
 * the same functions the route runs (zod schema, access check, EventStore.readStream, foldQuote/decide/evolve, and
 * the statements of EventStore.append, timed one by one), then the whole command bus, then the same work over raw
 * `pg` (what Prisma costs), then 16 commands at once (what the global append lock costs).
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { hashAccessToken, hasQuoteAccess } from "../lib/access/quote-access";
import { decide, evolve, foldQuote, type QuoteCommand } from "../lib/domain/quote";
import { createEventStore, toRecordedEvent } from "../lib/eventstore/event-store";
import { Prisma, type PrismaClient } from "../lib/generated/prisma/client";
import { message } from "../lib/cqrs/message";
import { createServices } from "../lib/services";
import { captureContactDetailsPayloadSchema } from "../schemas/quote-commands";
import type { PoolQuote } from "./command-path";
import { summarize, type Summary } from "./support/stats";

/** The event store's append lock (lib/eventstore/event-store.ts APPEND_LOCK_KEY). */
const APPEND_LOCK_KEY = 7_316_001;
const details = { email: "ada@example.com", phoneNumber: "+1 415 555 0100" };
const now = () => performance.now();

interface Concurrent {
  clients: number;
  commandsPerSecond: number;
  latency: Summary;
  lockWait: Summary;
  lockHeld: Summary;
}

export interface BreakdownResult {
  iterations: number;
  /** Median ms of each step, sequential (one command at a time). */
  steps: Record<string, Summary>;
  /** commandBus.execute end to end, in process. */
  bus: Summary;
  /** The same command over raw pg (same statements, same lock). */
  rawPg: Summary;
  /** 16 commands at once through the bus. */
  concurrent: Concurrent;
  /** What-if: the same 16 clients, the append's statements without the global advisory lock (steps only). */
  withoutLock: Concurrent;
}

/** One command, step by step, through Prisma, as runQuoteCommand and EventStore.append do it. */
async function timedCommand(db: PrismaClient, quote: PoolQuote, timings: Record<string, number[]>, options: { lock: boolean } = { lock: true }) {
  const record = (step: string, ms: number) => (timings[step] ??= []).push(ms);
  const store = createEventStore(db);
  const payload = { quoteId: quote.quoteId, details };
  let t = now();
  const parsed = captureContactDetailsPayloadSchema.safeParse(payload);
  if (!parsed.success) throw new Error("payload invalid");
  record("1 validate (zod)", now() - t);

  t = now();
  if (!(await hasQuoteAccess(db, quote.quoteId, quote.token, { idleDays: 30 }))) throw new Error("no access");
  record("2 authorize (quote_access_tokens lookup)", now() - t);

  t = now();
  const history = await store.readStream(quote.quoteId);
  record("3 readStream", now() - t);

  t = now();
  const state = foldQuote(history);
  const command: QuoteCommand = { type: "CaptureContactDetails", quoteId: quote.quoteId, details: parsed.data.details };
  const decision = decide(command, state, { now: new Date(), actor: { kind: "customer" } });
  if (!decision.ok) throw new Error(decision.error.message);
  decision.events.reduce(evolve, state);
  record("4 fold + decide + evolve", now() - t);

  const occurredAt = new Date();
  const rows = decision.events.map((event, index) => ({
    eventId: randomUUID(),
    streamId: quote.quoteId,
    version: state.version + index + 1,
    type: event.type,
    data: event.data as Prisma.InputJsonValue,
    correlationId: randomUUID(),
    causationId: null,
    actor: { kind: "customer" } as Prisma.InputJsonValue,
    occurredAt,
  }));
  const marks: Record<string, number> = {};
  const t0 = now();
  await db.$transaction(async (tx) => {
    marks.begun = now();
    if (options.lock) await tx.$executeRaw`SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY})`;
    marks.locked = now();
    const current = await tx.storedEvent.aggregate({ where: { streamId: quote.quoteId }, _max: { version: true } });
    if ((current._max.version ?? 0) !== state.version) throw new Error("conflict");
    marks.checked = now();
    await tx.storedEvent.createMany({ data: rows });
    marks.inserted = now();
  });
  const committed = now();
  record("5a append: BEGIN", marks.begun! - t0);
  record("5b append: advisory lock", marks.locked! - marks.begun!);
  record("5c append: version check (aggregate)", marks.checked! - marks.locked!);
  record("5d append: insert (createMany)", marks.inserted! - marks.checked!);
  record("5e append: COMMIT", committed - marks.inserted!);
  record("5 append total", committed - t0);
  record("lock held (lock → commit)", committed - marks.locked!);
}

/** The same command over raw pg: the floor Prisma's query layer adds to. */
async function rawCommand(pool: pg.Pool, quote: PoolQuote) {
  const access = await pool.query("SELECT quote_id FROM quote_access_tokens WHERE token_hash = $1", [hashAccessToken(quote.token)]);
  if (!access.rowCount) throw new Error("no access");
  const history = await pool.query("SELECT * FROM events WHERE stream_id = $1 ORDER BY version", [quote.quoteId]);
  const state = foldQuote(
    history.rows.map((r: Record<string, unknown>) =>
      toRecordedEvent({ eventId: r.event_id, streamId: r.stream_id, version: r.version, type: r.type, data: r.data, correlationId: r.correlation_id, causationId: r.causation_id, actor: r.actor, occurredAt: r.occurred_at } as Parameters<typeof toRecordedEvent>[0]),
    ),
  );
  const decision = decide({ type: "CaptureContactDetails", quoteId: quote.quoteId, details }, state, { now: new Date(), actor: { kind: "customer" } });
  if (!decision.ok) throw new Error(decision.error.message);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [APPEND_LOCK_KEY]);
    const current = await client.query("SELECT max(version) AS v FROM events WHERE stream_id = $1", [quote.quoteId]);
    if ((current.rows[0].v ?? 0) !== state.version) throw new Error("conflict");
    const event = decision.events[0]!;
    await client.query(
      "INSERT INTO events (event_id, stream_id, version, type, data, correlation_id, causation_id, actor, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, now())",
      [randomUUID(), quote.quoteId, state.version + 1, event.type, JSON.stringify(event.data), randomUUID(), JSON.stringify({ kind: "customer" })],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

export async function commandBreakdown(options: { db: PrismaClient; pool: pg.Pool; quotes: PoolQuote[]; iterations: number; seconds: number }): Promise<BreakdownResult> {
  const { db, pool, quotes, iterations } = options;
  const { commandBus } = createServices(db);
  const pick = (i: number) => quotes[i % quotes.length]!;
  const execute = (quote: PoolQuote) =>
    commandBus.execute(message("CaptureContactDetails", { quoteId: quote.quoteId, details }, { actor: { kind: "customer" }, accessToken: quote.token }));

  // Warm-up: JIT, connection pools.
  for (let i = 0; i < 30; i++) {
    await timedCommand(db, pick(i), {});
    await execute(pick(i + 1));
    await rawCommand(pool, pick(i + 2));
  }

  const timings: Record<string, number[]> = {};
  const bus: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < iterations; i++) {
    await timedCommand(db, pick(3 * i), timings);
    let t = now();
    const result = await execute(pick(3 * i + 1));
    if (!result.ok) throw new Error(`bus refused: ${result.error.detail}`);
    bus.push(now() - t);
    t = now();
    await rawCommand(pool, pick(3 * i + 2));
    raw.push(now() - t);
  }

  // 16 at once for `seconds`: each client on its own quotes (no conflicts). Half the commands through the bus, half
  // step by step (to see how long each waits for, and holds, the global append lock).
  const clients = 16;
  const concurrently = async (lock: boolean) => {
    const latency: number[] = [];
    const lockWait: number[] = [];
    const lockHeld: number[] = [];
    let n = 0;
    const started = now();
    const deadline = started + options.seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; now() < deadline; i++) {
          const quote = quotes[(c + clients * i) % (quotes.length - (quotes.length % clients))]!;
          const t = now();
          if (lock && i % 2 === 0) {
            const result = await execute(quote);
            if (!result.ok) throw new Error(`bus refused: ${result.error.detail}`);
          } else {
            const local: Record<string, number[]> = {};
            await timedCommand(db, quote, local, { lock });
            lockWait.push(local["5b append: advisory lock"]![0]!);
            lockHeld.push(local["lock held (lock → commit)"]![0]!);
          }
          latency.push(now() - t);
          n++;
        }
      }),
    );
    return { clients, commandsPerSecond: n / ((now() - started) / 1000), latency: summarize(latency), lockWait: summarize(lockWait), lockHeld: summarize(lockHeld) };
  };
  const concurrent = await concurrently(true);
  const withoutLock = await concurrently(false);

  return {
    iterations,
    steps: Object.fromEntries(Object.entries(timings).map(([step, values]) => [step, summarize(values)])),
    bus: summarize(bus),
    rawPg: summarize(raw),
    concurrent,
    withoutLock,
  };
}
