import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { context, SpanKind, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { startOtlpReceiver, type OtlpReceiver } from "./otlp-receiver";

let receiver: OtlpReceiver;
before(async () => {
  receiver = await startOtlpReceiver(0);
});
after(() => receiver.close());

describe("the OTLP receiver stand-in", () => {
  it("counts the spans the SDK's OTLP/HTTP protobuf exporter sends, by name and trace", async () => {
    const exporter = new OTLPTraceExporter({ url: `${receiver.url}/v1/traces` });
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer("test");
    const parent = tracer.startSpan("command CaptureContactDetails", { kind: SpanKind.INTERNAL });
    const child = tracer.startSpan("eventstore append", {}, trace.setSpan(context.active(), parent));
    child.end();
    parent.end();
    await provider.forceFlush();
    await provider.shutdown();
    const stats = receiver.stats();
    assert.equal(stats.spans, 2);
    assert.deepEqual(stats.byName, { "command CaptureContactDetails": 1, "eventstore append": 1 });
    assert.equal(stats.traces.size, 1);
    assert.ok(stats.requests >= 1);
  });
});
