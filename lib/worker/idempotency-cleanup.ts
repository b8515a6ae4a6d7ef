import "server-only";
import type { EventStore } from "../eventstore/event-store";
import type { Logger } from "../logging/logger";

const BATCH = 1_000;

/** Deletes expired idempotency records now and then every `intervalMs`, a bounded batch at a time. */
export function startIdempotencyCleanup(store: Pick<EventStore, "deleteExpiredIdempotencyRecords">, log: Logger, intervalMs = 60_000) {
  let running: Promise<void> = Promise.resolve();
  const sweep = async () => {
    try {
      let deleted = 0;
      for (let batch = BATCH; batch === BATCH; deleted += batch) batch = await store.deleteExpiredIdempotencyRecords(BATCH);
      if (deleted) log.info({ deleted }, "expired idempotency records deleted");
    } catch (error) {
      log.warn({ err: error }, "deleting expired idempotency records failed; trying again later");
    }
  };
  running = sweep();
  const timer = setInterval(() => (running = running.then(sweep)), intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
