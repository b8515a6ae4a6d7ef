import "server-only";
// The app's spans, through the OpenTelemetry API only. Tracing is on once a tracer provider has been started
// (lib/tracing/sdk.ts: instrumentation.ts in the web process, the worker's start-up; tests with an in-memory
// exporter); until then every helper here is a flag check and nothing else, and no trace context is written or sent.
import { context, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Context, type Span, type SpanOptions } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { tracingEnabled } from "./enabled-flag";

export const TRACER_NAME = "quoting-platform";

export { tracingEnabled };

export const tracer = () => trace.getTracer(TRACER_NAME);

// W3C trace context directly, whatever propagator the process registered: the outbox column and the Kafka header
// hold a `traceparent` and nothing else.
const w3c = new W3CTraceContextPropagator();
const setter = { set: (carrier: Record<string, string>, key: string, value: string) => void (carrier[key] = value) };
const getter = {
  get: (carrier: Record<string, string>, key: string) => carrier[key],
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
};

/** The `traceparent` of a context's span (the active one by default), or null when tracing is off or none is sampled. */
export function traceparentOf(from: Context = context.active()): string | null {
  if (!tracingEnabled()) return null;
  const carrier: Record<string, string> = {};
  w3c.inject(from, carrier, setter);
  return carrier.traceparent ?? null;
}

/** A context whose remote parent is the span a `traceparent` names (the root context when it is malformed). */
export function contextFromTraceparent(traceparent: string): Context {
  return w3c.extract(ROOT_CONTEXT, { traceparent }, getter);
}

/** The active span's ids for a log line, or nothing (pino's mixin, lib/logging/logger.ts). */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  if (!tracingEnabled()) return {};
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** Marks a span failed with the error that ended it. */
export function failSpan(span: Span, error: unknown) {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/**
 * Runs `work` inside a new active span that ends when it settles (failed when it throws); without tracing, runs
 * `work` as it is.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span | null) => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return work(null);
  return tracer().startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export type { Attributes, Span };
