import "server-only";
import type { EventStore } from "../eventstore/event-store";
import type { Logger } from "../logging/logger";
import { deleteInBatches, startPeriodicSweep } from "./periodic-sweep";

const BATCH = 1_000;

/** Deletes expired idempotency records now and then every `intervalMs`, a bounded batch at a time. */
export function startIdempotencyCleanup(store: Pick<EventStore, "deleteExpiredIdempotencyRecords">, log: Logger, intervalMs = 60_000) {
  return startPeriodicSweep(async () => {
    try {
      const deleted = await deleteInBatches(() => store.deleteExpiredIdempotencyRecords(BATCH), BATCH);
      if (deleted) log.info({ deleted }, "expired idempotency records deleted");
    } catch (error) {
      log.warn({ err: error }, "deleting expired idempotency records failed; trying again later");
    }
  }, intervalMs);
}
