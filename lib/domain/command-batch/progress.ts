/** A command batch's progress from its items' statuses: queued until the worker takes an item, done when none waits. */

export type BatchItemStatus = "pending" | "done" | "refused" | "failed";
export type BatchStatus = "queued" | "running" | "done";

export interface BatchProgress {
  status: BatchStatus;
  total: number;
  pending: number;
  done: number;
  refused: number;
  failed: number;
}

/** `attempts`: how many times the worker took an item, so a batch whose first item is being run shows as running. */
export function batchProgress(items: ReadonlyArray<{ status: BatchItemStatus; attempts: number }>): BatchProgress {
  const count = (status: BatchItemStatus) => items.filter((item) => item.status === status).length;
  const pending = count("pending");
  const started = items.some((item) => item.status !== "pending" || item.attempts > 0);
  const status: BatchStatus = pending === 0 ? "done" : started ? "running" : "queued";
  return { status, total: items.length, pending, done: count("done"), refused: count("refused"), failed: count("failed") };
}
