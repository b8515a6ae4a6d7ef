import type { Env } from "../../lib/config";
import type { TracingHandle } from "../../lib/tracing/sdk";

/**
 * The worker's OpenTelemetry SDK (relay and projector spans), started before anything else when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT); otherwise not even loaded.
 */
export async function startWorkerTracing(env: Env): Promise<TracingHandle | null> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()) return null;
  const { startTracing } = await import("../../lib/tracing/sdk");
  return startTracing({ serviceName: "quoting-worker" });
}
