// One page save is one trace, from the HTTP request to the read model: the command's span, the append's, the
// relay's publish (parent: the append, through the outbox row's trace_context) and the projector's apply (parent:
// the publish, through the Kafka record's traceparent header). Real PostgreSQL and Kafka, an in-memory exporter.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { context, SpanKind, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { prisma } from "../db/prisma";
import { capture, startQuoteOverHttp, validDetails } from "../http/testing/quote-api-client";
import { quoteEventsTopic } from "../messaging/topics";
import { disconnectReadModelClients } from "../projections/generations";
import { eventually, testKafka, testKafkaProjector, testRelay } from "../projections/testing/kafka";
import { startTracing, type TracingHandle } from "./sdk";
import { activeTraceIds, tracer } from "./tracing";

const exporter = new InMemorySpanExporter();
let tracing: TracingHandle;
const kafka = testKafka();
const relay = testRelay(kafka);
let projector: Awaited<ReturnType<typeof testKafkaProjector>>;

before(async () => {
  tracing = startTracing({ serviceName: "trace-test", spanProcessors: [new SimpleSpanProcessor(exporter)] });
  projector = await testKafkaProjector(kafka);
});
after(async () => {
  await projector.stop();
  await relay.stop();
  await tracing.shutdown();
  await disconnectReadModelClients();
  await prisma().$disconnect();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("tracing a page save", () => {
  it("is one trace from the route to the projector, linked across the outbox row and Kafka", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();

    // Next's server makes this span ("PUT /api/quotes/[quoteId]/contact-details") around the route handler; the
    // handler is called in-process here, so the test makes it.
    const route = tracer().startSpan("PUT /api/quotes/[quoteId]/contact-details", { kind: SpanKind.SERVER });
    const traceId = route.spanContext().traceId;
    const res = await context.with(trace.setSpan(context.active(), route), () => capture("contact", quoteId, validDetails.contact, auth));
    route.end();
    assert.equal(res.status, 200);
    const { version } = (await res.json()) as { version: number };

    const row = await prisma().storedEvent.findFirstOrThrow({ where: { streamId: quoteId, version } });
    assert.match(row.traceContext ?? "", new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`), "the outbox row holds the save's trace context");

    await relay.drain();
    const spans = await eventually(
      async () => {
        const inTrace = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
        return inTrace.some((span) => span.kind === SpanKind.CONSUMER) ? inTrace : null;
      },
      30_000,
      "the projector's span in the save's trace",
    );

    const one = (name: string) => {
      const found = spans.filter((span) => span.name === name);
      assert.equal(found.length, 1, `one span named ${name} in the trace (found ${spans.map((s) => s.name).join(", ")})`);
      return found[0]!;
    };
    const command = one("command CaptureContactDetails");
    const append = one("eventstore append");
    const publish = one(`send ${quoteEventsTopic()}`);
    const apply = one(`process ${quoteEventsTopic()}`);

    assert.equal(parentOf(command), route.spanContext().spanId, "the command's parent is the route's span");
    assert.equal(parentOf(append), command.spanContext().spanId, "the append's parent is the command's span");
    assert.equal(parentOf(publish), append.spanContext().spanId, "the relay's publish has the append as parent (outbox row)");
    assert.equal(publish.parentSpanContext?.isRemote, true);
    assert.equal(parentOf(apply), publish.spanContext().spanId, "the projector's apply has the publish as parent (Kafka header)");
    assert.equal(apply.parentSpanContext?.isRemote, true);

    assert.equal(command.attributes["cqrs.message.type"], "CaptureContactDetails");
    assert.equal(command.attributes["quote.id"], quoteId);
    assert.equal(command.attributes["cqrs.outcome"], "ok");
    assert.equal(append.attributes["eventstore.version"], version);
    assert.equal(append.attributes["eventstore.outcome"], "appended");
    assert.equal(publish.kind, SpanKind.PRODUCER);
    assert.equal(publish.attributes["messaging.kafka.message.key"], quoteId);
    assert.equal(apply.attributes["projection.outcome"], "applied");
    assert.equal(apply.attributes["quote.id"], quoteId);

    // The read model holds the save (the apply span ended after its transaction committed).
    const { readModelClient, activeGeneration } = await import("../projections/generations");
    const live = readModelClient(await activeGeneration(prisma()));
    assert.equal((await live.quoteDetails.findUnique({ where: { quoteId } }))?.version, version);
  });

  it("gives a log line written inside a span its trace and span ids", async () => {
    await tracer().startActiveSpan("log line", async (span) => {
      assert.deepEqual(activeTraceIds(), { trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
      span.end();
    });
    assert.deepEqual(activeTraceIds(), {});
  });
});
