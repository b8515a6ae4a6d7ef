import "server-only";
import { SpanKind, SpanStatusCode, type Span } from "@opentelemetry/api";
import type { KafkaMessage } from "kafkajs";
import { contextFromTraceparent, tracer } from "../tracing/tracing";
import type { BatchOutcome } from "./apply-batch";

/**
 * One consumer span ("process quote-events") per record of a chunk that carries a `traceparent` header (set by the
 * relay's publish span, relay-tracing.ts), its child: from before the chunk's transaction until it committed (with
 * its retries). A record the projector parks ends its span failed. Null when no record of the chunk is traced.
 */
export function startApplySpans(topic: string, partition: number, chunk: readonly KafkaMessage[]): { end(outcome: BatchOutcome | "handed over" | null): void } | null {
  const spans: Array<{ offset: string; span: Span }> = [];
  for (const message of chunk) {
    const header = message.headers?.traceparent;
    const traceparent = Buffer.isBuffer(header) ? header.toString("utf8") : typeof header === "string" ? header : null;
    if (!traceparent) continue;
    const span = tracer().startSpan(
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          "messaging.system": "kafka",
          "messaging.operation.type": "process",
          "messaging.operation.name": "apply",
          "messaging.destination.name": topic,
          "messaging.destination.partition.id": String(partition),
          "messaging.kafka.offset": Number(message.offset),
          "messaging.kafka.message.key": message.key?.toString("utf8") ?? "",
          "messaging.batch.message_count": chunk.length,
          "quote.id": message.key?.toString("utf8") ?? "",
        },
      },
      contextFromTraceparent(traceparent),
    );
    spans.push({ offset: message.offset, span });
  }
  if (!spans.length) return null;
  return {
    end(outcome) {
      const parked = new Map(outcome && outcome !== "handed over" ? outcome.parked.map(({ message, error }) => [message.position.toString(), error]) : []);
      for (const { offset, span } of spans) {
        const reason = parked.get(offset);
        if (outcome === null || outcome === "handed over") span.setAttribute("projection.outcome", outcome === null ? "stopped" : "handed over");
        else if (reason !== undefined) {
          span.setAttribute("projection.outcome", "parked");
          span.setStatus({ code: SpanStatusCode.ERROR, message: reason.slice(0, 500) });
        } else span.setAttribute("projection.outcome", "applied");
        span.end();
      }
    },
  };
}
