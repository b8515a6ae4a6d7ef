// Which spans are recorded. Every trace is kept (or as OTEL_TRACES_SAMPLER says, when it is set), but Next's spans
// of loading a route's code on each request are not: they are leaves, say nothing about a save, and were three of
// the eight spans a command's request exported (bench/NOTES.md, benchmark 7).
// No "server-only": instrumentation.ts loads it, through lib/tracing/sdk.ts, outside the React server bundles.
import type { Attributes, Context, Link, SpanKind } from "@opentelemetry/api";
import { AlwaysOnSampler, ParentBasedSampler, SamplingDecision, type Sampler, type SamplingResult } from "@opentelemetry/sdk-trace-base";

/** Next's per-request spans of finding and loading a route's modules (next-server.js, load-components.js). */
export const UNRECORDED_SPAN_NAMES: ReadonlySet<string> = new Set(["load route module", "resolve page components", "prepare route module"]);

export class AppSampler implements Sampler {
  constructor(private readonly inner: Sampler = new ParentBasedSampler({ root: new AlwaysOnSampler() })) {}

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    if (UNRECORDED_SPAN_NAMES.has(spanName)) return { decision: SamplingDecision.NOT_RECORD };
    return this.inner.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString() {
    return `AppSampler{${this.inner.toString()}}`;
  }
}
