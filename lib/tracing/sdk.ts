// Starts the OpenTelemetry SDK for Node in this process: spans exported over OTLP (HTTP/protobuf) to
// OTEL_EXPORTER_OTLP_ENDPOINT, W3C trace context, the context kept across awaits (AsyncLocalStorage). Called from
// instrumentation.ts (web) and the worker's start-up only when that variable is set; tests pass span processors of
// their own (an in-memory exporter). Without it, nothing here is loaded and the API stays a no-op.
// No "server-only" here: instrumentation.ts loads it outside the React server bundles.
import { BatchSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { setTracingEnabled } from "./enabled-flag";
import { AppSampler } from "./sampler";

export interface TracingHandle {
  /** Exports what is still buffered and stops the SDK. */
  shutdown(): Promise<void>;
}

let running: { sdk: NodeSDK; handle: TracingHandle } | null = null;

/** Whether this process should trace: an OTLP endpoint is configured. */
export const tracingConfigured = (env: NodeJS.ProcessEnv = process.env) => Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());

/**
 * Starts tracing once per process (a second call returns the first handle). `serviceName` names the process
 * (OTEL_SERVICE_NAME overrides it); `spanProcessors` replace the OTLP exporter (tests).
 */
export function startTracing(options: { serviceName: string; spanProcessors?: SpanProcessor[] }): TracingHandle {
  if (running) return running.handle;
  const spanProcessors = options.spanProcessors ?? [
    // The exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS, _TIMEOUT and _COMPRESSION itself.
    new BatchSpanProcessor(new OTLPTraceExporter(), { maxQueueSize: 8_192, maxExportBatchSize: 1_024, scheduledDelayMillis: 1_000 }),
  ];
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME?.trim() || options.serviceName,
      [ATTR_SERVICE_VERSION]: process.env.npm_package_version ?? "0.1.0",
    }),
    spanProcessors,
    // OTEL_TRACES_SAMPLER, when set, decides instead (the SDK reads it when no sampler is given).
    ...(process.env.OTEL_TRACES_SAMPLER?.trim() ? {} : { sampler: new AppSampler() }),
    // Traces only: no metrics or logs pipeline from the environment (metrics are Prometheus', logs are pino's).
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  setTracingEnabled(true);
  const handle: TracingHandle = {
    async shutdown() {
      if (running?.handle !== handle) return;
      running = null;
      setTracingEnabled(false);
      await sdk.shutdown();
    },
  };
  running = { sdk, handle };
  return handle;
}
