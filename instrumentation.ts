// Next calls register() once per server process before it serves anything. With OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) set, it starts the OpenTelemetry SDK (lib/tracing/sdk.ts): Next's own spans
// (one per request, route handler, server action and render) and the app's (buses, append) are exported over OTLP.
// Unset, the SDK is not even loaded.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() && !process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()) return;
  const { startTracing } = await import("./lib/tracing/sdk");
  startTracing({ serviceName: "quoting-web" });
}
