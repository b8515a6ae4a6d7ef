import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { z } from "zod";
import { startTracing, type TracingHandle } from "../../tracing/sdk";
import { setTracingEnabled } from "../../tracing/enabled-flag";
import { fail, ok } from "../app-error";
import { Bus, type CommandDefinition } from "../bus";
import { message } from "../message";
import { tracingMiddleware } from "./tracing";

const exporter = new InMemorySpanExporter();
// Exports wait for the resource's detected attributes: flushed before each look.
const processor = new SimpleSpanProcessor(exporter);
let tracing: TracingHandle;
before(() => {
  tracing = startTracing({ serviceName: "unit", spanProcessors: [processor] });
});
after(() => tracing.shutdown());

const quoteId = "0b6f3f6e-8f0e-4a8e-9a57-3f1f8d1c2a10";
const definition = (type: string, handle: CommandDefinition["handle"]): CommandDefinition => ({ type, schema: z.unknown(), authorize: async () => null, handle });
const bus = new Bus(["Save", "Refused", "Broken", "Start"], [
  definition("Save", async () => ok({ version: 2 })),
  definition("Refused", async () => fail({ kind: "forbidden", detail: "no" })),
  definition("Broken", async () => {
    throw new Error("database gone");
  }),
  definition("Start", async () => ok({ quoteId })),
], [tracingMiddleware("command")]);
const send = async (type: string, payload: unknown = { quoteId }) => {
  try {
    return await bus.execute(message(type, payload, { actor: { kind: "customer" } }));
  } finally {
    await processor.forceFlush();
  }
};
const lastSpan = () => exporter.getFinishedSpans().at(-1)!;

describe("the tracing middleware", () => {
  it("makes a span per command with its type, quote and outcome", async () => {
    await send("Save");
    const span = lastSpan();
    assert.equal(span.name, "command Save");
    assert.equal(span.attributes["cqrs.message.type"], "Save");
    assert.equal(span.attributes["quote.id"], quoteId);
    assert.equal(span.attributes["cqrs.outcome"], "ok");
    assert.equal(span.status.code, SpanStatusCode.UNSET);
  });

  it("records a refusal as the outcome without failing the span", async () => {
    await send("Refused");
    assert.equal(lastSpan().attributes["cqrs.outcome"], "forbidden");
    assert.equal(lastSpan().status.code, SpanStatusCode.UNSET);
  });

  it("fails the span of a command that threw", async () => {
    await assert.rejects(send("Broken"), /database gone/);
    assert.equal(lastSpan().attributes["cqrs.outcome"], "error");
    assert.equal(lastSpan().status.code, SpanStatusCode.ERROR);
  });

  it("takes the quote id from the response when the payload has none (StartQuote)", async () => {
    await send("Start", {});
    assert.equal(lastSpan().attributes["quote.id"], quoteId);
  });

  it("makes no span while tracing is off", async () => {
    const before = exporter.getFinishedSpans().length;
    setTracingEnabled(false);
    try {
      await send("Save");
    } finally {
      setTracingEnabled(true);
    }
    assert.equal(exporter.getFinishedSpans().length, before);
  });
});
