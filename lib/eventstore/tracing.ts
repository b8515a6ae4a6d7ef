import "server-only";
import { SpanKind } from "@opentelemetry/api";
import { failSpan, tracer, tracingEnabled } from "../tracing/tracing";
import { ConcurrencyConflictError, IdempotencyReplayError } from "./errors";
import type { EventStore } from "./event-store";

/**
 * The store with a span around each append ("eventstore append", a PostgreSQL client span): the append stores
 * that span's traceparent on its events, which the relay's publish span takes as its parent. A lost race or a
 * repeated key is an outcome (`eventstore.outcome`: conflict, replay), not a failure: the command reads and decides
 * again, or answers the first response. Without tracing, the store's own append runs directly.
 */
export function withAppendSpans(store: EventStore): EventStore {
  const append = store.append;
  return {
    ...store,
    append(streamId, expectedVersion, events, metadata, options) {
      if (!tracingEnabled()) return append(streamId, expectedVersion, events, metadata, options);
      const attributes = { "db.system.name": "postgresql", "db.operation.name": "append", "quote.id": streamId, "eventstore.expected_version": expectedVersion, "eventstore.event_count": events.length };
      return tracer().startActiveSpan("eventstore append", { kind: SpanKind.CLIENT, attributes }, async (span) => {
        try {
          const result = await append(streamId, expectedVersion, events, metadata, options);
          span.setAttributes({ "eventstore.outcome": "appended", "eventstore.version": result.version, "eventstore.event_types": result.events.map((event) => event.type) });
          return result;
        } catch (error) {
          if (error instanceof ConcurrencyConflictError) span.setAttribute("eventstore.outcome", "conflict");
          else if (error instanceof IdempotencyReplayError) span.setAttribute("eventstore.outcome", "replay");
          else failSpan(span, error);
          throw error;
        } finally {
          span.end();
        }
      });
    },
  };
}
