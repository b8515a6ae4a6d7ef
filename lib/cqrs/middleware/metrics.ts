import "server-only";
import type { Histogram } from "prom-client";
import type { Middleware } from "../bus";

/** Outcomes that are the server's failure, not a refusal of the caller's request: what the error rate counts. */
export const FAILED_OUTCOMES: ReadonlySet<string> = new Set(["error", "unavailable"]);

/**
 * Times every command (or query) by type and outcome: "ok", the refusal's kind (validation, conflict, …), or
 * "error" when the handler threw. `history`, when given, also gets each duration for the per-minute summaries
 * behind the system page (lib/observability/command-history.ts).
 */
export function metricsMiddleware(histogram: Histogram<"type" | "outcome">, history?: { record(seconds: number, failed: boolean): void }): Middleware {
  return async (command, _definition, next) => {
    const started = performance.now();
    let outcome = "error";
    try {
      const result = await next(command);
      outcome = result.ok ? "ok" : result.error.kind;
      return result;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      histogram.observe({ type: command.type, outcome }, seconds);
      history?.record(seconds, FAILED_OUTCOMES.has(outcome));
    }
  };
}
