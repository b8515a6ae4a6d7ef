import "server-only";
import { Partitioners, type Kafka, type Message, type Producer } from "kafkajs";
import type { Actor, RecordedEvent } from "../domain/quote";
import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logging/logger";
import { encodeEvent } from "./avro/event-codec";
import type { SchemaRegistry } from "./avro/schema-registry";
import { advanceRelayProgress, countUnpublished, readRelayProgress, type RelayCursor } from "./relay-progress";
import { reconcileWithTopic, type ReconcileResult } from "./relay-reconcile";
import { startPublishSpans } from "./relay-tracing";
import { tracingEnabled } from "../tracing/tracing";
import { quoteEventsTopic } from "./topics";
import { metrics } from "../observability/metrics";

// Measured (bench/RESULTS.md): 500 a batch gave 3.7k events/s, 2,000 gave 7.6k; a batch is about 450 KB of Avro.
export const RELAY_BATCH_SIZE = 2_000;
/**
 * Batches a relay may have acknowledged by Kafka and not yet marked published: the one whose mark runs beside the
 * next send, and that next one once acknowledged (its mark starts only after the previous mark has finished).
 */
export const RELAY_PIPELINE_DEPTH = 2;
const HORIZON_FIRST_PAUSE_MS = 5;
/** The most events a relay that dies can leave on the topic unmarked; how far back a successor reads (relay-reconcile.ts). */
export const RELAY_UNMARKED_LIMIT = RELAY_BATCH_SIZE * RELAY_PIPELINE_DEPTH;

export type { RelayCursor } from "./relay-progress";

/** One read of the outbox: the rows (in relay order) and the horizon they were read below. */
export interface OutboxRead {
  /** `pg_snapshot_xmin` of the read: every row with a lower tx_id is final. */
  horizon: string;
  /** Unpublished rows at or above the horizon exist: committed (or not) behind a transaction still running. */
  waiting: boolean;
  rows: OutboxRow[];
}

export interface OutboxRow {
  txId: string;
  position: bigint;
  /** Already on the topic: found there by a reconcile (relay-reconcile.ts), so not to be sent again. */
  published: boolean;
  event: RecordedEvent;
  /** The W3C traceparent of the append that wrote the row, when it was traced. */
  traceContext: string | null;
}

type RawRow = {
  horizon: string;
  waiting: boolean;
  tx_id: string | null;
  position: bigint | null;
  published: boolean;
  event_id: string;
  stream_id: string;
  version: number;
  type: string;
  data: unknown;
  correlation_id: string;
  causation_id: string | null;
  actor: unknown;
  occurred_at: Date;
  trace_context: string | null;
};

/**
 * The rows after `after` (or after the relay's recorded progress), in (tx_id, position) order, only below the
 * horizon `pg_snapshot_xmin(pg_current_snapshot())`: appends take no lock, so positions are not commit order, but no
 * transaction that could still add a row with a tx_id below the horizon is running. Within that range the read is
 * therefore complete, which is what lets the relay record its progress as one point (relay-progress.ts).
 *
 * Rows a reconcile marked are returned too, flagged `published`: filtering them in the scan would make the planner
 * guess how many pass, and a wrong guess (fresh rows, no statistics yet) turns the ordered index scan that stops
 * after `limit` rows into a scan and sort of everything after the cursor (250 ms instead of 4 ms for 2,000 of 50,000).
 */
export async function readOutbox(db: PrismaClient, after: RelayCursor | null, limit: number): Promise<OutboxRead> {
  // The cursor goes in as plain parameters so the planner sees where it is: just behind the end of the table in the
  // steady state, where an index scan in (tx_id, position) order from it reads only the rows it returns.
  const from = after ?? (await readRelayProgress(db));
  const rows = await db.$queryRaw<RawRow[]>`
    SELECT h.horizon::text AS horizon,
           -- Rows at or above the horizon are never published (a relay reads below it, and it only grows): the newest
           -- row is enough, and max() is one step down the index whatever the statistics say.
           coalesce((SELECT max(tx_id) FROM events) >= h.horizon, false) AS waiting,
           e.tx_id::text AS tx_id, e.position, e.published_at IS NOT NULL AS published, e.event_id::text AS event_id, e.stream_id::text AS stream_id, e.version, e.type, e.data,
           e.correlation_id, e.causation_id, e.actor, e.occurred_at, e.trace_context
    FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h
    LEFT JOIN LATERAL (
      SELECT tx_id, position, published_at, event_id, stream_id, version, type, data, correlation_id, causation_id, actor, occurred_at, trace_context
      FROM events
      WHERE tx_id < h.horizon AND (tx_id, position) > (${from.txId}::xid8, ${from.position}::bigint)
      ORDER BY tx_id, position
      LIMIT ${limit}
    ) e ON true`;
  const first = rows[0]!;
  return {
    horizon: first.horizon,
    waiting: first.waiting,
    rows: first.tx_id === null ? [] : rows.map((row) => ({ txId: row.tx_id!, position: row.position!, published: row.published, event: toEvent(row), traceContext: row.trace_context })),
  };
}

function toEvent(row: RawRow): RecordedEvent {
  return {
    type: row.type,
    data: row.data,
    eventId: row.event_id,
    quoteId: row.stream_id,
    version: row.version,
    occurredAt: row.occurred_at.toISOString(),
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    actor: row.actor as Actor,
  } as RecordedEvent;
}

/**
 * The record an event becomes on the topic: keyed by quote, the Avro body in Confluent's framing. No headers: the
 * body holds the event's id and the framing's schema id names its type, and kafkajs encodes headers slowly (three
 * of them cost 40% of the relay's throughput, bench/NOTES.md).
 */
export function relayRecord(event: RecordedEvent, registry: SchemaRegistry): Message {
  return { key: event.quoteId, value: encodeEvent(event, registry) };
}

interface Batch {
  last: RelayCursor;
  messages: Message[];
  /** The read stopped at its limit: more rows are likely waiting right behind it. */
  full: boolean;
  /** Each row's traceparent, only while tracing is on (relay-tracing.ts). */
  traceContexts: Array<string | null> | null;
}

const cursorOf = (row: OutboxRow): RelayCursor => ({ txId: row.txId, position: row.position });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The outbox relay: unpublished events in (tx_id, position) order → Avro (Confluent wire format) → Kafka, key =
 * quoteId, idempotent producer, acks from all in-sync replicas; only then marked published, by moving the relay's
 * recorded progress to the batch's last event (relay-progress.ts: one row, the event rows are not rewritten).
 *
 * Pipelined: while a full batch N is being sent, batch N+1 (the rows after N's last) is read and encoded, and N is marked
 * published once acknowledged, beside N+1's send. A failed send or mark leaves what it concerned unpublished and
 * the relay starts again from its recorded progress.
 *
 * Exactly once on the topic: before it first reads from its recorded progress (a new relay, a new leader, and again
 * after any failure or reset), the relay reconciles (relay-reconcile.ts): it reads back the end of each partition
 * and marks published the rows whose events Kafka already holds, sent by a relay that stopped, or failed, between
 * Kafka's acknowledgement and its mark. So each event reaches the topic once, and a quote's events in order.
 *
 * Only one relay may publish at a time (see relay-leadership.ts); `canPublish` is asked right before each send.
 * `reconcile` replaces the reconcile with the topic (unit tests).
 */
export function createRelay(deps: {
  db: PrismaClient;
  kafka: Kafka;
  registry: SchemaRegistry;
  log: Logger;
  canPublish?: () => boolean;
  reconcile?: (unmarkedLimit: number) => Promise<ReconcileResult>;
}) {
  let producer: Producer | null = null;
  /** Where the next read starts; null: from the recorded progress. */
  let cursor: RelayCursor | null = null;
  let prefetched: { after: RelayCursor | null; limit: number; batch: Promise<Batch | null> } | null = null;
  /** The mark of the last acknowledged batch, still running beside the next send. */
  let marking: Promise<void> | null = null;
  let lastRead: { horizon: string; waiting: boolean } = { horizon: "0", waiting: false };
  /** False until the topic has been reconciled since the last reset: nothing is sent meanwhile. */
  let reconciled = false;
  /** The largest batch this relay has read; a larger limit than RELAY_BATCH_SIZE (benchmarks) widens its reconciles. */
  let largestBatch = RELAY_BATCH_SIZE;
  const reconcileWith = deps.reconcile ?? ((unmarkedLimit: number) => reconcileWithTopic({ db: deps.db, kafka: deps.kafka, registry: deps.registry, log: deps.log, unmarkedLimit }));

  async function connectedProducer(): Promise<Producer> {
    if (producer) return producer;
    const created = deps.kafka.producer({
      idempotent: true,
      // kafkajs needs this for idempotence, and one batch at a time per producer (kafkajs#1005).
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await created.connect();
    producer = created;
    return created;
  }

  /**
   * The next batch: rows a reconcile found on the topic are passed over, not sent, and the batch's mark covers them.
   * When only such rows are left, none (they stay behind the recorded progress until a later batch's mark passes them).
   */
  async function read(after: RelayCursor | null, limit: number): Promise<Batch | null> {
    for (let from = after; ; ) {
      const outbox = await readOutbox(deps.db, from, limit);
      lastRead = { horizon: outbox.horizon, waiting: outbox.waiting };
      if (outbox.rows.length === 0) return null;
      const last = cursorOf(outbox.rows[outbox.rows.length - 1]!);
      const unsent = outbox.rows.filter((row) => !row.published);
      if (unsent.length > 0) {
        const messages = unsent.map(({ event }) => relayRecord(event, deps.registry));
        return { last, messages, full: outbox.rows.length === limit, traceContexts: tracingEnabled() ? unsent.map((row) => row.traceContext) : null };
      }
      from = last;
    }
  }

  function startRead(after: RelayCursor | null, limit: number) {
    const batch = read(after, limit);
    // Awaited later, or dropped on a reset: never an unhandled rejection.
    batch.catch(() => {});
    return { after, limit, batch };
  }

  /** Waits for everything in flight to settle (ignoring its failures) and starts again from the recorded progress. */
  async function reset() {
    const pending = [prefetched?.batch, marking];
    prefetched = null;
    marking = null;
    cursor = null;
    reconciled = false;
    await Promise.allSettled(pending);
  }

  /** Run with nothing in flight (after a reset, or before the first read): a read-ahead would be stale after it. */
  async function reconcileNow(): Promise<ReconcileResult> {
    const result = await reconcileWith(largestBatch * RELAY_PIPELINE_DEPTH);
    reconciled = true;
    return result;
  }

  async function dropProducer() {
    const stale = producer;
    producer = null;
    await stale?.disconnect().catch(() => {});
  }

  return {
    /**
     * Publishes one batch; returns how many events Kafka acknowledged: 0 when no committed row is left unpublished,
     * or when some still wait behind a transaction running for longer than `horizonWaitMs` (then `lastRead().waiting`).
     * Throws when Kafka or the database fails, after which the next call starts again from the recorded progress.
     */
    async publishBatch(limit = RELAY_BATCH_SIZE, options: { horizonWaitMs?: number } = {}): Promise<number> {
      let batch: Batch | null;
      try {
        if (!reconciled) await reconcileNow();
        largestBatch = Math.max(largestBatch, limit);
        const ahead = prefetched && prefetched.limit === limit && prefetched.after === cursor ? prefetched.batch : null;
        prefetched = null;
        batch = ahead ? await ahead : null;
        // An empty read-ahead was made while the last batch was in flight: look again now.
        if (!batch) batch = await read(cursor, limit);
        // Committed rows wait behind an older transaction that is still running (an append or a projector's batch,
        // a few milliseconds): look again shortly rather than report that nothing is left. Under load some writer is
        // nearly always running, so the first look is not sooner than such a transaction takes: every look is a
        // statement (1 ms pauses made it 3.4 reads per published batch, bench/NOTES.md).
        const deadline = performance.now() + (options.horizonWaitMs ?? 1_000);
        for (let pause = HORIZON_FIRST_PAUSE_MS; !batch && lastRead.waiting && performance.now() < deadline; pause = Math.min(pause * 2, 20)) {
          await sleep(pause);
          batch = await read(cursor, limit);
        }
      } catch (error) {
        await reset();
        throw error;
      }
      if (!batch) {
        const settling = marking;
        marking = null;
        try {
          await settling;
        } catch (error) {
          await reset();
          throw error;
        }
        return 0;
      }
      if (deps.canPublish && !deps.canPublish()) {
        await reset();
        return 0;
      }

      cursor = batch.last;
      // With a backlog, the next batch is read and encoded while this one is sent. Without one, a read now would
      // mostly come back empty and cost a statement: the read after the send finds what arrived meanwhile.
      prefetched = batch.full ? startRead(cursor, limit) : null;
      // Tracing on: a span per traced event, whose traceparent its record carries as a header.
      const spans = batch.traceContexts && startPublishSpans(batch.messages, batch.traceContexts);
      try {
        const active = await connectedProducer();
        await active.send({ topic: quoteEventsTopic(), acks: -1, messages: batch.messages });
        spans?.end();
        metrics().eventsPublished.inc(batch.messages.length);
      } catch (error) {
        spans?.end(error);
        // Drop the producer so the next round reconnects from scratch.
        await dropProducer();
        await reset();
        throw error;
      }
      // The previous batch's mark ran beside this send; a failure there means starting again from it.
      const previous = marking;
      marking = null;
      try {
        await previous;
      } catch (error) {
        await reset();
        throw error;
      }
      marking = advanceRelayProgress(deps.db, batch.last);
      marking.catch(() => {});
      return batch.messages.length;
    },

    /** The last read's horizon, and whether unpublished rows were waiting at or above it (then look again soon). */
    lastRead: () => lastRead,

    /** Forgets the read-ahead and position: the next batch starts from the recorded progress, after a reconcile. */
    reset,

    /**
     * Forgets the read-ahead and position and reconciles the outbox with the topic now (publishBatch would before
     * its first send anyway): what a new leader does before anything else.
     */
    async reconcile(): Promise<ReconcileResult> {
      await reset();
      return reconcileNow();
    },

    backlog: () => countUnpublished(deps.db),

    async stop() {
      await reset();
      await dropProducer();
    },
  };
}

export type Relay = ReturnType<typeof createRelay>;
