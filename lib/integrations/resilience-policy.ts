// The cockatiel policies around each call to the application-number service:
//   retry (outermost) → circuit breaker (shared by every call of one client) → timeout (per attempt).
// Each attempt is timed out on its own, the breaker counts every failed attempt, and the retry backs off between them.
import "server-only";
import {
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
} from "cockatiel";

export interface ResiliencePolicyOptions {
  /** Per attempt, in ms. */
  timeoutMs: number;
  /** Total attempts, the first one included. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Failed attempts in a row that open the circuit. */
  consecutiveFailures: number;
  /** How long the circuit stays open before one probe call is let through. */
  halfOpenAfterMs: number;
  /** Which errors count as failures worth retrying and worth counting towards opening the circuit. */
  isTransient: (error: unknown) => boolean;
}

export type BreakerState = "closed" | "open" | "half-open";

export function createResiliencePolicy(options: ResiliencePolicyOptions) {
  const transient = handleWhen(options.isTransient);

  // cockatiel's `maxAttempts` counts RETRIES, not attempts: maxAttempts: 4 makes up to 5 calls
  // (RetryPolicy loops `for (retries = 0; ; retries++) … if (retries < maxAttempts) retry`).
  // Left out, it is Infinity. ExponentialBackoff's default generator is decorrelatedJitterGenerator
  // (Polly's "DecorrelatedJitterBackoffV2"), capped at maxDelay.
  const retryPolicy = retry(transient, {
    maxAttempts: options.maxAttempts - 1,
    backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs, maxDelay: options.maxDelayMs }),
  });

  const breakerPolicy = circuitBreaker(transient, {
    halfOpenAfter: options.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.consecutiveFailures),
  });

  // Aggressive: the attempt rejects with a TaskCancelledError as soon as the time is up (and the signal
  // handed to fetch is aborted), rather than waiting for fetch to notice.
  const timeoutPolicy = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);

  return {
    policy: wrap(retryPolicy, breakerPolicy, timeoutPolicy),
    retry: retryPolicy,
    breaker: breakerPolicy,
    timeout: timeoutPolicy,
    breakerState(): BreakerState {
      switch (breakerPolicy.state) {
        case CircuitState.Closed:
          return "closed";
        case CircuitState.HalfOpen:
          return "half-open";
        default:
          // Open, or Isolated (held open by breaker.isolate()). Note: cockatiel moves Open → HalfOpen only
          // when a call arrives after halfOpenAfter, so an idle breaker past that time still reads "open".
          return "open";
      }
    },
  };
}
