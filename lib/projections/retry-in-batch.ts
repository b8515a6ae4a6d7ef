import "server-only";
import { classifyFailure, type ClassifiedFailure } from "./failure-classification";

/** What eachBatch gets from kafkajs to keep its session and to learn that the batch is no longer its to apply. */
export interface BatchControl {
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
}

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** How often to heartbeat while waiting (below the session timeout). */
  heartbeatEveryMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 250, maxMs: 10_000, heartbeatEveryMs: 1_000 };

/** Exponential backoff with jitter: 250 ms, 500 ms, 1 s, ... up to 10 s. */
export const backoffMs = (failures: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY) =>
  Math.round(Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 1, 16)) * (0.75 + Math.random() / 4));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, inside eachBatch: a failure is retried with backoff while the consumer keeps
 * heartbeating, instead of being thrown to kafkajs (which would restart the consumer and rebalance the group).
 * Returns null as soon as the batch is no longer ours: the consumer is stopping, or a seek made the batch stale.
 */
export async function retryInBatch<T>(
  control: BatchControl,
  attempt: () => Promise<T>,
  onFailure: (error: unknown, failure: ClassifiedFailure, retryInMs: number, failures: number) => void,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T | null> {
  for (let failures = 1; ; failures++) {
    if (!control.isRunning() || control.isStale()) return null;
    // kafkajs does not heartbeat while eachBatch runs: a long wait (a lock, a slow database) must not cost the
    // session, or the group would rebalance and re-deliver the batch elsewhere.
    const keepAlive = setInterval(() => void control.heartbeat().catch(() => {}), policy.heartbeatEveryMs);
    let failed: unknown;
    try {
      return await attempt();
    } catch (error) {
      failed = error;
    } finally {
      clearInterval(keepAlive);
    }
    const delay = backoffMs(failures, policy);
    onFailure(failed, classifyFailure(failed), delay, failures);
    for (let waited = 0; waited < delay; waited += policy.heartbeatEveryMs) {
      await sleep(Math.min(policy.heartbeatEveryMs, delay - waited));
      if (!control.isRunning() || control.isStale()) return null;
      await control.heartbeat();
    }
  }
}
