import "server-only";
import type { PrismaClient } from "../generated/prisma/client";
import { toRecordedEvent, type EventRow } from "../eventstore/event-store";
import { applyBatch, emptyOutcome, GenerationChangedError, type BatchOutcome, type ProjectionMessage } from "./apply-batch";
import { activeGeneration, readModelClient } from "./generations";
import { metrics } from "../observability/metrics";

export const POSTGRES_SOURCE = "postgres:events";

type EventLogRow = EventRow & { position: bigint };

export function eventRowMessage(row: EventLogRow): ProjectionMessage {
  const event = toRecordedEvent(row);
  return { source: POSTGRES_SOURCE, position: row.position, quoteId: row.streamId, payload: Buffer.from(JSON.stringify(event)), decode: () => event };
}

/**
 * Appends take no lock, so a row may commit after a row with a higher position. The log is read in (tx_id,
 * position) order and only below the oldest running transaction (`pg_snapshot_xmin`): no transaction that could
 * still add a row there is running, so nothing can appear behind the reader. A quote's events keep their order,
 * since each version is appended only after the one before it committed. `after` is the position of the last row
 * read (-1 for the start); its tx_id is looked up, so the checkpoint stays one number.
 */
export async function readEventLogAfter(db: Pick<PrismaClient, "$queryRaw">, after: bigint, limit: number): Promise<EventLogRow[]> {
  return db.$queryRaw<EventLogRow[]>`
    SELECT position, event_id::text AS "eventId", stream_id::text AS "streamId", version, type, data,
           correlation_id AS "correlationId", causation_id AS "causationId", actor, occurred_at AS "occurredAt"
    FROM events
    WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
      AND (${after}::bigint < 0 OR (tx_id, position) > (SELECT tx_id, position FROM events WHERE position = ${after}::bigint))
    ORDER BY tx_id, position
    LIMIT ${limit}`;
}

/** Rows of the log after `after` in the reader's order, including those not yet below the horizon. */
export async function countEventLogAfter(db: PrismaClient, after: bigint): Promise<number> {
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM events
    WHERE ${after}::bigint < 0 OR (tx_id, position) > (SELECT tx_id, position FROM events WHERE position = ${after}::bigint)`;
  return row!.count;
}

/**
 * Embedded mode: the projector follows the Postgres event log (see `readEventLogAfter`). Each round starts from
 * the live generation's own checkpoint, so after a rebuild switches generations the next round continues from the
 * new one's.
 */
export function createPostgresProjector(deps: { db: PrismaClient; databaseUrl: string; batchSize?: number }) {
  const batchSize = deps.batchSize ?? 500;
  const checkpointOf = async (schema: string) =>
    (await readModelClient(schema, deps.databaseUrl).projectionCheckpoint.findUnique({ where: { source: POSTGRES_SOURCE } }))?.position ?? -1n;
  return {
    /** Applies the next batch to the live generation; returns how many messages it read (0 when caught up). */
    async runOnce(): Promise<BatchOutcome & { read: number }> {
      const schema = await activeGeneration(deps.db);
      const rows = await readEventLogAfter(deps.db, await checkpointOf(schema), batchSize);
      try {
        const outcome = await applyBatch(readModelClient(schema, deps.databaseUrl), schema, rows.map(eventRowMessage), { live: true, order: "as read" });
        if (outcome.parked.length) metrics().deadLettersParkedTotal.inc(outcome.parked.length);
        return { ...outcome, read: rows.length };
      } catch (error) {
        // Switched under us: the next round reads the new generation's checkpoint.
        if (error instanceof GenerationChangedError) return { ...emptyOutcome(), read: 1 };
        throw error;
      }
    },
    /** Events in the log not yet applied to the live generation. */
    async lag(): Promise<number> {
      return countEventLogAfter(deps.db, await checkpointOf(await activeGeneration(deps.db)));
    },
  };
}
