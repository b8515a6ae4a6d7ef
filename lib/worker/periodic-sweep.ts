import "server-only";

/** Runs `sweep` now and then every `intervalMs`, one run at a time; `stop` waits for the run under way. */
export function startPeriodicSweep(sweep: () => Promise<void>, intervalMs: number) {
  let running = sweep();
  const timer = setInterval(() => (running = running.then(sweep)), intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** Calls `deleteBatch` (which deletes at most `batchSize` rows) until a batch comes back short; returns the total. */
export async function deleteInBatches(deleteBatch: () => Promise<number>, batchSize: number): Promise<number> {
  let deleted = 0;
  for (let batch = batchSize; batch === batchSize; deleted += batch) batch = await deleteBatch();
  return deleted;
}
