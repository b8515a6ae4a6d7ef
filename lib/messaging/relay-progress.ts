import "server-only";
import type { PrismaClient } from "../generated/prisma/client";

/** A place in the relay's order: (tx_id, position). `txId` is the xid8 as text. */
export interface RelayCursor {
  txId: string;
  position: bigint;
}

/**
 * How far the relay has published (relay_progress): every event at or before this point in (tx_id, position) order
 * is on the topic. Beyond it, an event is still to publish unless a reconcile found it on the topic already and set
 * its `published_at` (the view `unpublished_events` applies both rules).
 */
export async function readRelayProgress(db: PrismaClient): Promise<RelayCursor> {
  const [row] = await db.$queryRaw<{ tx_id: string; position: bigint }[]>`SELECT tx_id::text AS tx_id, position FROM relay_progress WHERE id = 1`;
  if (!row) throw new Error("relay_progress has no row: run the migrations (npm run db:migrate)");
  return { txId: row.tx_id, position: row.position };
}

/**
 * Records that everything up to `last` is on the topic: one row updated, however large the batch, and only forward
 * (a relay that lost the lead and marks late cannot move it back).
 */
export async function advanceRelayProgress(db: PrismaClient, last: RelayCursor): Promise<void> {
  await db.$executeRaw`
    UPDATE relay_progress SET tx_id = ${last.txId}::xid8, position = ${last.position}::bigint, advanced_at = now()
    WHERE id = 1 AND (tx_id, position) < (${last.txId}::xid8, ${last.position}::bigint)`;
}

/** Events still to publish, all of them or those of some quotes. */
export async function countUnpublished(db: PrismaClient, quoteIds?: string[]): Promise<number> {
  const [row] = quoteIds
    ? await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM unpublished_events WHERE stream_id = ANY(${quoteIds}::uuid[])`
    : await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM unpublished_events`;
  return row!.n;
}
