// Client of the external application-number service (stand-in: scripts/application-number-service.ts).
//   POST {baseUrl}/application-numbers {"requestId"} → 201 {"requestId", "applicationNumber": "APP-2026-000123"}
// Callers pass the quote id as the requestId: the service gives the same number for the same requestId,
// so a retried (or timed-out-but-actually-served) attempt cannot hand out a second number.
// Resilience (retry with backoff, per-attempt timeout, one circuit breaker per client) is cockatiel's:
// see ./resilience-policy.
import "server-only";
import { isBrokenCircuitError } from "cockatiel";
import { config } from "../config";
import {
  MalformedResponseError,
  RejectedRequestError,
  TransientServiceError,
  describeFailure,
  isTransient,
  isTransientStatus,
  networkErrorMessage,
} from "./application-number-errors";
import { describeProblem, parseIssuedNumber } from "./application-number-response";
import { createResiliencePolicy, type BreakerState } from "./resilience-policy";
import { metrics } from "../observability/metrics";

export type ApplicationNumberResult =
  | { ok: true; applicationNumber: string; attempts: number }
  | { ok: false; reason: string; attempts: number; retryable: boolean };

/** The part of a pino logger this client uses. */
export interface ApplicationNumberClientLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ApplicationNumberClientOptions {
  /** For example http://127.0.0.1:4010 (config().APPLICATION_NUMBER_SERVICE_URL). */
  baseUrl: string;
  /** Per attempt. Default 2000 ms. */
  timeoutMs?: number;
  /** Total attempts per requestNumber() call, the first included. Default 5. */
  maxAttempts?: number;
  /** Backoff between attempts (exponential, decorrelated jitter). Defaults 100 ms and 2000 ms. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Opens after `consecutiveFailures` failed attempts in a row (default 5); probes again after `halfOpenAfterMs` (default 5000). */
  breaker?: { consecutiveFailures?: number; halfOpenAfterMs?: number };
  log?: ApplicationNumberClientLogger;
}

export interface ApplicationNumberClient {
  /** Never throws: every outcome is a result; `retryable` says whether asking again later can help. */
  requestNumber(requestId: string): Promise<ApplicationNumberResult>;
  breakerState(): BreakerState;
}

export const APPLICATION_NUMBER_CLIENT_DEFAULTS = {
  timeoutMs: 2000,
  maxAttempts: 5,
  initialDelayMs: 100,
  maxDelayMs: 2000,
  consecutiveFailures: 5,
  halfOpenAfterMs: 5000,
} as const;

function positiveInteger(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be a whole number >= ${min}, got ${value}`);
  return value;
}

export function createApplicationNumberClient(options: ApplicationNumberClientOptions): ApplicationNumberClient {
  const d = APPLICATION_NUMBER_CLIENT_DEFAULTS;
  const settings = {
    timeoutMs: positiveInteger("timeoutMs", options.timeoutMs ?? d.timeoutMs),
    maxAttempts: positiveInteger("maxAttempts", options.maxAttempts ?? d.maxAttempts),
    initialDelayMs: positiveInteger("initialDelayMs", options.initialDelayMs ?? d.initialDelayMs, 0),
    maxDelayMs: positiveInteger("maxDelayMs", options.maxDelayMs ?? d.maxDelayMs, 0),
    consecutiveFailures: positiveInteger("breaker.consecutiveFailures", options.breaker?.consecutiveFailures ?? d.consecutiveFailures),
    halfOpenAfterMs: positiveInteger("breaker.halfOpenAfterMs", options.breaker?.halfOpenAfterMs ?? d.halfOpenAfterMs, 0),
  };
  const endpoint = `${options.baseUrl.replace(/\/+$/, "")}/application-numbers`;
  if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) throw new TypeError(`baseUrl must be an http(s) URL, got ${JSON.stringify(options.baseUrl)}`);
  const log = options.log;

  const resilience = createResiliencePolicy({ ...settings, isTransient });
  let openedAt = 0;
  resilience.breaker.onBreak(() => {
    openedAt = Date.now();
    log?.warn({ endpoint, lastFailure: lastFailureText() }, "application-number circuit opened");
  });
  resilience.breaker.onHalfOpen(() => log?.info({ endpoint }, "application-number circuit half-open: probing"));
  resilience.breaker.onReset(() => log?.info({ endpoint }, "application-number circuit closed"));

  function lastFailureText(): string {
    const last = resilience.breaker.lastFailure;
    return last && "error" in last ? describeFailure(last.error) : "unknown";
  }

  /** One attempt: resolves with the number or throws one of the errors of ./application-number-errors. */
  async function attempt(requestId: string, signal: AbortSignal): Promise<string> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, application/problem+json" },
        body: JSON.stringify({ requestId }),
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw error; // the timeout policy has already rejected this attempt
      throw new TransientServiceError(`network error: ${networkErrorMessage(error)}`);
    }
    if (response.ok) {
      const parsed = parseIssuedNumber(text, requestId);
      if (!parsed.ok) throw new MalformedResponseError(`malformed response (HTTP ${response.status}): ${parsed.reason}`);
      return parsed.applicationNumber;
    }
    const problem = `HTTP ${response.status} ${describeProblem(text, response.statusText)}`;
    if (isTransientStatus(response.status)) throw new TransientServiceError(problem, response.status);
    throw new RejectedRequestError(problem, response.status);
  }

  async function requestNumber(requestId: string): Promise<ApplicationNumberResult> {
    let attempts = 0;
    const started = Date.now();
    try {
      // A fresh signal per call: without one, cockatiel hands every call its single module-wide
      // `neverAbortedSignal`, and each in-flight timeout adds an abort listener to it (Node warns at 11).
      const callSignal = new AbortController().signal;
      const applicationNumber = await resilience.policy.execute(async ({ signal }) => {
        attempts++;
        const attemptStarted = performance.now();
        const observe = (outcome: string) => metrics().applicationNumberCallDuration.observe({ outcome }, (performance.now() - attemptStarted) / 1000);
        try {
          const issued = await attempt(requestId, signal);
          observe("success");
          return issued;
        } catch (error) {
          observe(signal.aborted ? "timeout" : "failure");
          const reason = signal.aborted ? `timed out after ${settings.timeoutMs}ms` : describeFailure(error);
          log?.debug({ requestId, attempt: attempts, reason }, "application-number attempt failed");
          throw error;
        }
      }, callSignal);
      log?.info({ requestId, applicationNumber, attempts, ms: Date.now() - started }, "application number issued");
      return { ok: true, applicationNumber, attempts };
    } catch (error) {
      const result = failureResult(error, attempts);
      const level = result.retryable ? "warn" : "error";
      log?.[level]({ requestId, attempts, retryable: result.retryable, reason: result.reason, ms: Date.now() - started }, "no application number");
      return result;
    }
  }

  function failureResult(error: unknown, attempts: number): ApplicationNumberResult & { ok: false } {
    if (isBrokenCircuitError(error)) {
      const probeInMs = Math.max(0, openedAt + settings.halfOpenAfterMs - Date.now());
      return {
        ok: false,
        attempts,
        retryable: true,
        reason: `circuit open: the application-number service failed ${settings.consecutiveFailures} attempts in a row (last: ${lastFailureText()}); not calling it until a probe in ${probeInMs}ms`,
      };
    }
    if (error instanceof RejectedRequestError) return { ok: false, attempts, retryable: false, reason: `rejected by the application-number service: ${error.message}` };
    if (error instanceof MalformedResponseError) return { ok: false, attempts, retryable: false, reason: error.message };
    if (isTransient(error)) return { ok: false, attempts, retryable: true, reason: `gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${describeFailure(error)}` };
    return { ok: false, attempts, retryable: false, reason: `unexpected error: ${describeFailure(error)}` };
  }

  return { requestNumber, breakerState: resilience.breakerState };
}

/** A client of the service at config().APPLICATION_NUMBER_SERVICE_URL. Create one per process and share it (one breaker). */
export function createApplicationNumberClientFromConfig(options: Omit<ApplicationNumberClientOptions, "baseUrl"> = {}): ApplicationNumberClient {
  return createApplicationNumberClient({ baseUrl: config().APPLICATION_NUMBER_SERVICE_URL, ...options });
}
