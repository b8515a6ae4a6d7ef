import "server-only";
import type { PrismaClient } from "../generated/prisma/client";
import { readEventLogAfter } from "../projections/postgres-projector";
import { enqueueNotifications, notificationKey, type NotificationIntent } from "./outbox";
import { notificationKindOf } from "./reactions";

export const NOTIFICATION_SOURCE = "postgres:events";

/**
 * Turns events into queued emails. It follows the events table, the store every event is written to first, in both
 * messaging modes: in Kafka mode too it reads the table rather than the topic, so an email waits neither on the
 * relay nor on a consumer group of its own, and one checkpoint (a row) says how far it got. It reads in the embedded
 * projector's order (`readEventLogAfter`: commit order, below the oldest running transaction).
 *
 * Each round is one transaction: the checkpoint row locked (several workers take turns), the next events read,
 * their emails queued (INSERT … ON CONFLICT DO NOTHING on the idempotency key), the checkpoint moved. A worker that
 * dies mid-round leaves nothing behind; one that read again would queue nothing twice.
 */
export function createNotificationReactor(deps: { db: PrismaClient; batchSize?: number }) {
  const batchSize = deps.batchSize ?? 500;
  return {
    /** Reacts to the next events; returns how many it read (0 when caught up). */
    async runOnce(): Promise<number> {
      return deps.db.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO notification_checkpoints (source, position) VALUES (${NOTIFICATION_SOURCE}, -1) ON CONFLICT (source) DO NOTHING`;
        const [checkpoint] = await tx.$queryRaw<{ position: bigint }[]>`SELECT position FROM notification_checkpoints WHERE source = ${NOTIFICATION_SOURCE} FOR UPDATE`;
        const rows = await readEventLogAfter(tx, checkpoint!.position, batchSize);
        if (!rows.length) return 0;
        const intents = rows.flatMap((row): NotificationIntent[] => {
          const kind = notificationKindOf(row.type);
          return kind ? [{ quoteId: row.streamId, kind, eventId: row.eventId, idempotencyKey: notificationKey(kind, row.eventId) }] : [];
        });
        await enqueueNotifications(tx, intents);
        await tx.$executeRaw`UPDATE notification_checkpoints SET position = ${rows[rows.length - 1]!.position}, updated_at = now() WHERE source = ${NOTIFICATION_SOURCE}`;
        return rows.length;
      });
    },
    /** Starts after the last event now in the log, so events recorded before are never emailed about (tests; a first deployment uses the migration). */
    async skipToEndOfLog(): Promise<void> {
      await deps.db.$executeRaw`
        INSERT INTO notification_checkpoints (source, position)
        SELECT ${NOTIFICATION_SOURCE}, coalesce((SELECT position FROM events ORDER BY tx_id DESC, position DESC LIMIT 1), -1)
        ON CONFLICT (source) DO UPDATE SET position = excluded.position, updated_at = now()`;
    },
  };
}

export type NotificationReactor = ReturnType<typeof createNotificationReactor>;
