/**
 * Every Prometheus metric of the app, in one place (docs/OPERATIONS.md says what each means). Names follow
 * Prometheus' conventions: the `quoting_` prefix, base units (`_seconds`), `_total` for counters.
 *
 * One registry per process, kept on globalThis: Next may load this module more than once in a server (one copy per
 * bundle), and the metrics must still be counted once and served whole by GET /api/metrics. The web process and the
 * worker each serve their own registry; which process fills which family is in docs/OPERATIONS.md.
 */
import "server-only";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Seconds: from 2.5 ms (a cached read) to 10 s (a command stuck behind a database outage). */
export const DURATION_BUCKETS = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type BreakerStateName = "closed" | "open" | "half-open";
export const BREAKER_STATES: readonly BreakerStateName[] = ["closed", "open", "half-open"];

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "quoting_" });
  const registers = [registry];
  /** What the breaker's gauge reads at scrape time; set by the process that owns the application-number client. */
  let breakerState: (() => BreakerStateName) | null = null;

  const metrics = {
    registry,

    // The write and read paths (lib/cqrs/middleware/metrics.ts): outcome is "ok", the refusal's kind
    // (validation, conflict, …) or "error" when the handler threw.
    commandDuration: new Histogram({ name: "quoting_command_duration_seconds", help: "Time to handle a command on the command bus, by command type and outcome", labelNames: ["type", "outcome"], buckets: DURATION_BUCKETS, registers }),
    queryDuration: new Histogram({ name: "quoting_query_duration_seconds", help: "Time to answer a query on the query bus, by query type and outcome", labelNames: ["type", "outcome"], buckets: DURATION_BUCKETS, registers }),

    // The HTTP API (withRouteMetrics in lib/http/route-handler.ts): route is the app's route pattern, never the raw path.
    httpDuration: new Histogram({ name: "quoting_http_request_duration_seconds", help: "Time to answer an API request, by route pattern, method and status code", labelNames: ["route", "method", "status"], buckets: DURATION_BUCKETS, registers }),

    // The event store (lib/eventstore/event-store.ts).
    eventsAppended: new Counter({ name: "quoting_events_appended_total", help: "Events appended to the event store, by event type", labelNames: ["type"], registers }),

    // The relay (lib/messaging/relay.ts) and the worker's sampler (lib/observability/system-sampler.ts).
    eventsPublished: new Counter({ name: "quoting_relay_events_published_total", help: "Events the relay had acknowledged by Kafka", registers }),
    relayBacklog: new Gauge({ name: "quoting_relay_backlog_events", help: "Events in the outbox not yet published to Kafka (sampled by the worker)", registers }),

    // The projector (lib/projections/kafka-projector.ts) and the sampler.
    projectionLagEvents: new Gauge({ name: "quoting_projection_lag_events", help: "Messages of a partition not yet applied to the live read models (sampled by the worker)", labelNames: ["partition"], registers }),
    projectionLagSeconds: new Gauge({
      name: "quoting_projection_lag_seconds",
      help: "Age of a partition's oldest message not yet applied, 0 when caught up (sampled by the worker; a lower bound, to the sampling interval)",
      labelNames: ["partition"],
      registers,
    }),
    deadLettersParkedTotal: new Counter({ name: "quoting_projection_dead_letters_parked_total", help: "Messages the projector parked in the dead-letter queue", registers }),
    deadLetters: new Gauge({ name: "quoting_projection_dead_letters", help: "Dead letters in the live generation now: parked ones, and messages held behind them (sampled by the worker)", labelNames: ["state"], registers }),

    // The scheduled commands (lib/worker/scheduled-commands.ts) and the sampler.
    scheduledDue: new Gauge({ name: "quoting_scheduled_commands_due", help: "Pending scheduled commands whose time has come (sampled by the worker)", registers }),
    scheduledAttempts: new Counter({ name: "quoting_scheduled_command_attempts_total", help: "Runs of scheduled commands, by command type", labelNames: ["type"], registers }),
    scheduledFailures: new Counter({
      name: "quoting_scheduled_command_failures_total",
      help: "Runs of scheduled commands that did not succeed, by command type; final=true when the command was marked failed for good",
      labelNames: ["type", "final"],
      registers,
    }),

    // Asynchronous commands on many quotes (lib/worker/command-batches.ts): status is done, refused (the quote's own
    // refusal, reported), retried (the platform's trouble) or failed (for good, after every attempt).
    commandBatchItems: new Counter({ name: "quoting_command_batch_items_total", help: "Items of command batches the worker ran, by batch type and status (done, refused, retried, failed)", labelNames: ["type", "status"], registers }),

    // The customers' emails (lib/notifications/sender.ts): outcome is sent, failed (an attempt that did not go; it is
    // retried unless it failed for good) or skipped (erased quote, quote closed before its reminder).
    notifications: new Counter({ name: "quoting_notifications_total", help: "Attempts to send a customer email, by kind and outcome (sent, failed, skipped)", labelNames: ["kind", "outcome"], registers }),

    // The application-number client (lib/integrations/application-number-client.ts).
    applicationNumberCallDuration: new Histogram({
      name: "quoting_application_number_call_duration_seconds",
      help: "Time of each attempt to call the application-number service, by outcome (success, failure, timeout); calls the open circuit refuses make no attempt",
      labelNames: ["outcome"],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    applicationNumberCircuitState: new Gauge({
      name: "quoting_application_number_circuit_state",
      help: "The application-number circuit breaker: 1 for its current state (closed, open, half-open), 0 for the others",
      labelNames: ["state"],
      registers,
      collect() {
        if (!breakerState) return;
        const current = breakerState();
        for (const state of BREAKER_STATES) this.set({ state }, state === current ? 1 : 0);
      },
    }),

    /** Lets the breaker's gauge read the state of this process's application-number client at each scrape. */
    observeBreaker(read: () => BreakerStateName) {
      breakerState = read;
    },
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

const globalForMetrics = globalThis as unknown as { quotingMetrics?: Metrics };

/** This process's metrics. */
export function metrics(): Metrics {
  globalForMetrics.quotingMetrics ??= createMetrics();
  return globalForMetrics.quotingMetrics;
}

/** The exposition text and its content type, for GET /api/metrics and the worker's /metrics. */
export async function exposition(): Promise<{ body: string; contentType: string }> {
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
