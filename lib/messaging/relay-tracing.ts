import "server-only";
import { ROOT_CONTEXT, SpanKind, trace, type Span } from "@opentelemetry/api";
import type { Message } from "kafkajs";
import { contextFromTraceparent, failSpan, traceparentOf, tracer } from "../tracing/tracing";
import { quoteEventsTopic } from "./topics";

export const TRACEPARENT_HEADER = "traceparent";

/**
 * One producer span ("send quote-events") per record whose outbox row holds a trace context: a child of the
 * append's span (so of the save's trace), with the batch it went in; its traceparent goes into the record's
 * `traceparent` header, the projector's span's parent. Records of untraced rows stay without headers, as the relay
 * sends every record when tracing is off (kafkajs encodes headers slowly). Null when no row was traced.
 */
export function startPublishSpans(messages: Message[], traceContexts: ReadonlyArray<string | null>): { end(error?: unknown): void } | null {
  const spans: Span[] = [];
  for (let index = 0; index < messages.length; index++) {
    const parent = traceContexts[index];
    if (!parent) continue;
    const message = messages[index]!;
    const span = tracer().startSpan(
      `send ${quoteEventsTopic()}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          "messaging.system": "kafka",
          "messaging.operation.type": "send",
          "messaging.operation.name": "send",
          "messaging.destination.name": quoteEventsTopic(),
          "messaging.kafka.message.key": String(message.key ?? ""),
          "messaging.batch.message_count": messages.length,
          "quote.id": String(message.key ?? ""),
        },
      },
      contextFromTraceparent(parent),
    );
    const traceparent = traceparentOf(trace.setSpan(ROOT_CONTEXT, span));
    if (traceparent) message.headers = { ...message.headers, [TRACEPARENT_HEADER]: traceparent };
    spans.push(span);
  }
  if (!spans.length) return null;
  return {
    end(error?: unknown) {
      for (const span of spans) {
        if (error !== undefined) failSpan(span, error);
        span.end();
      }
    },
  };
}
