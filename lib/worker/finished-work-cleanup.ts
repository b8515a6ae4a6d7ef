import "server-only";
import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logging/logger";
import { deleteInBatches, startPeriodicSweep } from "./periodic-sweep";

const BATCH = 1_000;

/**
 * Deletes finished work older than `retentionDays`, a bounded batch at a time: sent, skipped or failed emails'
 * outbox rows, done or failed scheduled commands, and bulk decisions whose every item is finished. Pending rows are
 * never touched. The notification reactor's checkpoint is past the events of a deleted email, so it is not queued again.
 */
export async function deleteFinishedWork(db: PrismaClient, retentionDays: number): Promise<{ notifications: number; scheduledCommands: number; commandBatches: number }> {
  const before = new Date(Date.now() - retentionDays * 86_400_000);
  const drain = (deleteBatch: () => Promise<number>) => deleteInBatches(deleteBatch, BATCH);
  return {
    notifications: await drain(() => db.$executeRaw`
      DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE status <> 'pending' AND completed_at < ${before} LIMIT ${BATCH})`),
    scheduledCommands: await drain(() => db.$executeRaw`
      DELETE FROM scheduled_commands WHERE id IN (SELECT id FROM scheduled_commands WHERE status <> 'pending' AND completed_at < ${before} LIMIT ${BATCH})`),
    commandBatches: await drain(() => db.$executeRaw`
      DELETE FROM command_batches WHERE id IN (
        SELECT batch_id FROM command_batch_items GROUP BY batch_id
        HAVING bool_and(status <> 'pending') AND max(completed_at) < ${before} LIMIT ${BATCH})`),
  };
}

/** Runs deleteFinishedWork now and then every `intervalMs`. */
export function startFinishedWorkCleanup(db: PrismaClient, retentionDays: number, log: Logger, intervalMs = 15 * 60_000) {
  return startPeriodicSweep(async () => {
    try {
      const deleted = await deleteFinishedWork(db, retentionDays);
      if (deleted.notifications + deleted.scheduledCommands + deleted.commandBatches > 0) log.info({ ...deleted, retentionDays }, "finished work deleted");
    } catch (error) {
      log.warn({ err: error }, "deleting finished work failed; trying again later");
    }
  }, intervalMs);
}
