// npm run otlp-receiver [-- --port=4318] — a stand-in OTLP/HTTP trace receiver for local runs and the tracing
// benchmark: accepts POST /v1/traces (protobuf or JSON, gzip or not), answers 200 as a collector does, and counts
// what it received. GET /stats answers {requests, spans, bytes, byName, traces}. It keeps nothing else: point
// OTEL_EXPORTER_OTLP_ENDPOINT at a real collector (Jaeger, Tempo, the OpenTelemetry Collector) to look at traces.
import http from "node:http";
import zlib from "node:zlib";
import { countSpans, type SpanCounts } from "./otlp-count";

export interface OtlpReceiver {
  url: string;
  port: number;
  stats(): SpanCounts & { requests: number; bytes: number };
  close(): Promise<void>;
}

export function startOtlpReceiver(port: number, host = "127.0.0.1"): Promise<OtlpReceiver> {
  const totals = { requests: 0, bytes: 0, spans: 0, byName: {} as Record<string, number>, traces: new Set<string>() };
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/stats") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ requests: totals.requests, bytes: totals.bytes, spans: totals.spans, byName: totals.byName, traces: totals.traces.size }));
      return;
    }
    if (req.method !== "POST" || req.url !== "/v1/traces") {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        let body = Buffer.concat(chunks);
        totals.requests++;
        totals.bytes += body.length;
        if (req.headers["content-encoding"] === "gzip") body = zlib.gunzipSync(body);
        const json = (req.headers["content-type"] ?? "").includes("json");
        const counts = countSpans(body, json ? "json" : "protobuf");
        totals.spans += counts.spans;
        for (const [name, n] of Object.entries(counts.byName)) totals.byName[name] = (totals.byName[name] ?? 0) + n;
        for (const trace of counts.traces) totals.traces.add(trace);
        // An empty ExportTraceServiceResponse: nothing rejected.
        if (json) res.writeHead(200, { "content-type": "application/json" }).end("{}");
        else res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
      } catch (error) {
        res.writeHead(400, { "content-type": "text/plain" }).end(String(error));
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const bound = (server.address() as { port: number }).port;
      resolve({
        url: `http://${host}:${bound}`,
        port: bound,
        stats: () => ({ requests: totals.requests, bytes: totals.bytes, spans: totals.spans, byName: { ...totals.byName }, traces: new Set(totals.traces) }),
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv.find((arg) => arg.startsWith("--port="))?.slice("--port=".length) ?? 4318);
  const receiver = await startOtlpReceiver(port);
  console.log(`OTLP/HTTP receiver on ${receiver.url}/v1/traces (pid ${process.pid}); counts on ${receiver.url}/stats`);
  const stop = () => void receiver.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
