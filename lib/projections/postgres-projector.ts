import "server-only";
import type { PrismaClient } from "../generated/prisma/client";
import { toRecordedEvent } from "../eventstore/event-store";
import { applyBatch, GenerationChangedError, type BatchOutcome, type ProjectionMessage } from "./apply-batch";
import { activeGeneration, readModelClient } from "./generations";

export const POSTGRES_SOURCE = "postgres:events";

type EventRow = Awaited<ReturnType<PrismaClient["storedEvent"]["findMany"]>>[number];

export function eventRowMessage(row: EventRow): ProjectionMessage {
  const event = toRecordedEvent(row);
  return { source: POSTGRES_SOURCE, position: row.position, quoteId: row.streamId, payload: Buffer.from(JSON.stringify(event)), decode: () => event };
}

/**
 * Embedded mode: the projector reads the Postgres event log by global position (appends are serialised, so
 * position order is commit order and nothing is skipped). Each round starts from the live generation's own
 * checkpoint, so after a rebuild switches generations the next round continues from the new one's.
 */
export function createPostgresProjector(deps: { db: PrismaClient; databaseUrl: string; batchSize?: number }) {
  const batchSize = deps.batchSize ?? 500;
  return {
    /** Applies the next batch to the live generation; returns how many messages it read (0 when caught up). */
    async runOnce(): Promise<BatchOutcome & { read: number }> {
      const schema = await activeGeneration(deps.db);
      const readModels = readModelClient(schema, deps.databaseUrl);
      const checkpoint = (await readModels.projectionCheckpoint.findUnique({ where: { source: POSTGRES_SOURCE } }))?.position ?? -1n;
      const rows = await deps.db.storedEvent.findMany({ where: { position: { gt: checkpoint } }, orderBy: { position: "asc" }, take: batchSize });
      try {
        return { ...(await applyBatch(readModels, schema, rows.map(eventRowMessage), { live: true })), read: rows.length };
      } catch (error) {
        // Switched under us: the next round reads the new generation's checkpoint.
        if (error instanceof GenerationChangedError) return { applied: 0, skipped: 0, parked: [], held: 0, quoteIds: [], read: 1 };
        throw error;
      }
    },
    /** Events in the log not yet applied to the live generation. */
    async lag(): Promise<number> {
      const schema = await activeGeneration(deps.db);
      const checkpoint = (await readModelClient(schema, deps.databaseUrl).projectionCheckpoint.findUnique({ where: { source: POSTGRES_SOURCE } }))?.position ?? -1n;
      return deps.db.storedEvent.count({ where: { position: { gt: checkpoint } } });
    },
  };
}
