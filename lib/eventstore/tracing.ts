import "server-only";
import { SpanKind } from "@opentelemetry/api";
import { inSpan, tracingEnabled } from "../tracing/tracing";
import type { EventStore } from "./event-store";

/**
 * The store with a span around each append ("eventstore append", a PostgreSQL client span): the append stores
 * that span's traceparent on its events, which the relay's publish span takes as its parent. Without tracing, the
 * store's own append runs directly.
 */
export function withAppendSpans(store: EventStore): EventStore {
  const append = store.append;
  return {
    ...store,
    append(streamId, expectedVersion, events, metadata, options) {
      if (!tracingEnabled()) return append(streamId, expectedVersion, events, metadata, options);
      return inSpan(
        "eventstore append",
        {
          kind: SpanKind.CLIENT,
          attributes: { "db.system.name": "postgresql", "db.operation.name": "append", "quote.id": streamId, "eventstore.expected_version": expectedVersion, "eventstore.event_count": events.length },
        },
        async (span) => {
          const result = await append(streamId, expectedVersion, events, metadata, options);
          span?.setAttributes({ "eventstore.version": result.version, "eventstore.event_types": result.events.map((event) => event.type) });
          return result;
        },
      );
    },
  };
}
