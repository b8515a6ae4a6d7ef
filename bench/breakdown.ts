/**
 * Where the time of one command goes: the steps of PUT /api/quotes/{id}/contact-details, run in this process with
 * the same functions the route runs — the zod schema, the one read statement (EventStore.readForCommand: the
 * stream, the caller's access token and the idempotency key's record), the access verdict, foldQuote/decide/evolve,
 * and the one write statement (EventStore.append: events and side writes, autocommit) — then the whole command bus,
 * then the same two statements over raw `pg` (what Prisma costs), then 16 commands at once: through the bus, step
 * by step without and with the global append lock (EVENT_STORE_GLOBAL_LOCK's design), and over raw `pg` with the
 * lock taken by hand, to see how long an append waits for it and holds it.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { hashAccessToken, settleAccess } from "../lib/access/quote-access";
import { decide, evolve, foldQuote, type QuoteCommand } from "../lib/domain/quote";
import { appendStatement, type AppendOutcome } from "../lib/eventstore/append-statement";
import { createEventStore, toRecordedEvent } from "../lib/eventstore/event-store";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { message } from "../lib/cqrs/message";
import { createServices } from "../lib/services";
import { captureContactDetailsPayloadSchema } from "../schemas/quote-commands";
import type { PoolQuote } from "./command-path";
import { summarize, type Summary } from "./support/stats";

/** The global append lock's key when EVENT_STORE_GLOBAL_LOCK=true (lib/eventstore/event-store.ts). */
const GLOBAL_APPEND_LOCK_KEY = 7_316_001;
const CLIENTS = 16;
const details = { email: "ada@example.com", phoneNumber: "+1 415 555 0100" };
const access = { idleDays: 30 };
const now = () => performance.now();

export const STEP = {
  validate: "1 validate (zod)",
  read: "2 read: stream + access token + idempotency record (one statement)",
  authorize: "3 authorize (judge the token's row)",
  decide: "4 fold + decide + evolve",
  write: "5 write: events + side writes (one statement, autocommit)",
} as const;

export interface Concurrent {
  clients: number;
  commandsPerSecond: number;
  latency: Summary;
  /** The write statement alone (with the lock: BEGIN → lock → statement → COMMIT). */
  write?: Summary;
}

export interface BreakdownResult {
  iterations: number;
  /** Each step, sequential (one command at a time), through Prisma as the route runs it. */
  steps: Record<string, Summary>;
  /** commandBus.execute end to end, in process. */
  bus: Summary;
  /** The same command over raw pg: the same read statement and the same write statement. */
  rawPg: Summary;
  /** The two statements alone over raw pg. */
  rawPgSteps: { read: Summary; write: Summary };
  /** 16 commands at once through the bus (no global lock, as the app runs by default). */
  concurrent: Concurrent;
  /** 16 at once, the route's steps, without and with EVENT_STORE_GLOBAL_LOCK's lock (same code otherwise). */
  steps16: { withoutLock: Concurrent; withLock: Concurrent };
  /** 16 at once over raw pg with the global lock taken by hand: how long each append waits for it and holds it. */
  rawPgLock: Concurrent & { lockWait: Summary; lockHeld: Summary };
}

type Store = ReturnType<typeof createEventStore>;

/** One command, step by step, as the command bus and runQuoteCommand run it. */
async function timedCommand(db: PrismaClient, store: Store, quote: PoolQuote, record: (step: string, ms: number) => void) {
  let t = now();
  const parsed = captureContactDetailsPayloadSchema.safeParse({ quoteId: quote.quoteId, details });
  if (!parsed.success) throw new Error("payload invalid");
  record(STEP.validate, now() - t);

  t = now();
  const reads = await store.readForCommand(quote.quoteId, { tokenHash: hashAccessToken(quote.token) });
  record(STEP.read, now() - t);

  t = now();
  if (!(await settleAccess(db, reads.access, quote.quoteId, quote.token, "device", access))) throw new Error("no access");
  record(STEP.authorize, now() - t);

  t = now();
  const state = foldQuote(reads.events);
  const command: QuoteCommand = { type: "CaptureContactDetails", quoteId: quote.quoteId, details: parsed.data.details };
  const decision = decide(command, state, { now: new Date(), actor: { kind: "customer" } });
  if (!decision.ok) throw new Error(decision.error.message);
  decision.events.reduce(evolve, state);
  record(STEP.decide, now() - t);

  t = now();
  await store.append(quote.quoteId, state.version, decision.events, { correlationId: randomUUID(), causationId: null, actor: { kind: "customer" } });
  record(STEP.write, now() - t);
}

/** EventStore.readForCommand's statement, as raw pg text. */
const READ_SQL = `
  SELECT
    (SELECT coalesce(json_agg(json_build_object(
        'eventId', event_id, 'streamId', stream_id, 'version', version, 'type', type, 'data', data,
        'correlationId', correlation_id, 'causationId', causation_id, 'actor', actor, 'occurredAt', occurred_at
      ) ORDER BY version), '[]'::json)
     FROM events WHERE stream_id = $1::uuid) AS events,
    (SELECT json_build_object('quoteId', quote_id, 'kind', kind, 'lastUsedAt', last_used_at, 'revokedAt', revoked_at)
     FROM quote_access_tokens WHERE token_hash = $2::text) AS access,
    (SELECT json_build_object('fingerprint', fingerprint, 'response', response)
     FROM idempotency_records WHERE scope = $3::text AND key = $4::text AND expires_at > now()) AS idempotency`;

/** The same command over raw pg: one read statement, the verdict and decision, one write statement. */
async function rawCommand(pool: pg.Pool, quote: PoolQuote, options: { lock?: boolean; record?: (step: string, ms: number) => void } = {}) {
  let t = now();
  const { rows } = await pool.query<{ events: Parameters<typeof toRecordedEvent>[0][]; access: { quoteId: string; kind: string; revokedAt: string | null } | null }>(READ_SQL, [quote.quoteId, hashAccessToken(quote.token), null, null]);
  options.record?.("read", now() - t);
  const row = rows[0]!;
  if (!row.access || row.access.quoteId !== quote.quoteId || row.access.kind !== "device" || row.access.revokedAt) throw new Error("no access");
  const state = foldQuote(row.events.map(toRecordedEvent));
  const decision = decide({ type: "CaptureContactDetails", quoteId: quote.quoteId, details }, state, { now: new Date(), actor: { kind: "customer" } });
  if (!decision.ok) throw new Error(decision.error.message);
  const statement = appendStatement({
    streamId: quote.quoteId,
    expectedVersion: state.version,
    events: decision.events.map((event, index) => ({ eventId: randomUUID(), version: state.version + index + 1, type: event.type, data: event.data })),
    correlationId: randomUUID(),
    causationId: null,
    actor: { kind: "customer" },
    occurredAt: new Date(),
    idempotency: null,
    schedule: [],
    grantAccess: null,
  });
  t = now();
  let outcome: AppendOutcome;
  if (!options.lock) {
    outcome = (await pool.query<AppendOutcome>(statement.text, statement.values as unknown[])).rows[0]!;
  } else {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const asked = now();
      await client.query("SELECT pg_advisory_xact_lock($1)", [GLOBAL_APPEND_LOCK_KEY]);
      const locked = now();
      outcome = (await client.query<AppendOutcome>(statement.text, statement.values as unknown[])).rows[0]!;
      await client.query("COMMIT");
      options.record?.("lock wait", locked - asked);
      options.record?.("lock held", now() - locked);
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
  options.record?.("write", now() - t);
  if (!outcome.atExpectedVersion) throw new Error("conflict");
}

/** `CLIENTS` loops at once for `seconds`, each on quotes of its own (no conflicts); `one` runs one command. */
async function concurrently(quotes: PoolQuote[], seconds: number, one: (quote: PoolQuote, record: (step: string, ms: number) => void) => Promise<void>) {
  const latency: number[] = [];
  const timings: Record<string, number[]> = {};
  const record = (step: string, ms: number) => (timings[step] ??= []).push(ms);
  let n = 0;
  const started = now();
  const deadline = started + seconds * 1000;
  const usable = quotes.length - (quotes.length % CLIENTS);
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; now() < deadline; i++) {
        const quote = quotes[(c + CLIENTS * i) % usable]!;
        const t = now();
        await one(quote, record);
        latency.push(now() - t);
        n++;
      }
    }),
  );
  return { clients: CLIENTS, commandsPerSecond: n / ((now() - started) / 1000), latency: summarize(latency), timings };
}

export async function commandBreakdown(options: { db: PrismaClient; databaseUrl: string; quotes: PoolQuote[]; iterations: number; seconds: number }): Promise<BreakdownResult> {
  const { db, quotes, iterations } = options;
  const { commandBus } = createServices(db);
  const store = createEventStore(db);
  const lockedStore = createEventStore(db, { globalAppendLock: true });
  // A pool of its own, as large as the number of clients (the run's shared pool is smaller).
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: CLIENTS });
  const pick = (i: number) => quotes[i % quotes.length]!;
  const execute = async (quote: PoolQuote) => {
    const result = await commandBus.execute(message("CaptureContactDetails", { quoteId: quote.quoteId, details }, { actor: { kind: "customer" }, accessToken: quote.token }));
    if (!result.ok) throw new Error(`bus refused: ${result.error.detail}`);
  };
  try {
    // Warm-up: JIT, connection pools.
    for (let i = 0; i < 30; i++) {
      await timedCommand(db, store, pick(i), () => {});
      await execute(pick(i + 1));
      await rawCommand(pool, pick(i + 2));
    }

    const timings: Record<string, number[]> = {};
    const record = (step: string, ms: number) => (timings[step] ??= []).push(ms);
    const bus: number[] = [];
    const raw: number[] = [];
    const rawSteps: Record<string, number[]> = {};
    for (let i = 0; i < iterations; i++) {
      await timedCommand(db, store, pick(3 * i), record);
      let t = now();
      await execute(pick(3 * i + 1));
      bus.push(now() - t);
      t = now();
      await rawCommand(pool, pick(3 * i + 2), { record: (step, ms) => (rawSteps[step] ??= []).push(ms) });
      raw.push(now() - t);
    }

    const viaBus = await concurrently(quotes, options.seconds, (quote) => execute(quote));
    const stepsFree = await concurrently(quotes, options.seconds, (quote, rec) => timedCommand(db, store, quote, rec));
    const stepsLocked = await concurrently(quotes, options.seconds, (quote, rec) => timedCommand(db, lockedStore, quote, rec));
    const rawLocked = await concurrently(quotes, options.seconds, (quote, rec) => rawCommand(pool, quote, { lock: true, record: rec }));
    const plain = (c: Awaited<ReturnType<typeof concurrently>>, writeStep?: string): Concurrent => ({
      clients: c.clients,
      commandsPerSecond: c.commandsPerSecond,
      latency: c.latency,
      ...(writeStep && c.timings[writeStep] ? { write: summarize(c.timings[writeStep]!) } : {}),
    });

    return {
      iterations,
      steps: Object.fromEntries(Object.entries(timings).map(([step, values]) => [step, summarize(values)])),
      bus: summarize(bus),
      rawPg: summarize(raw),
      rawPgSteps: { read: summarize(rawSteps.read ?? []), write: summarize(rawSteps.write ?? []) },
      concurrent: plain(viaBus),
      steps16: { withoutLock: plain(stepsFree, STEP.write), withLock: plain(stepsLocked, STEP.write) },
      rawPgLock: { ...plain(rawLocked, "write"), lockWait: summarize(rawLocked.timings["lock wait"] ?? []), lockHeld: summarize(rawLocked.timings["lock held"] ?? []) },
    };
  } finally {
    await pool.end();
  }
}
