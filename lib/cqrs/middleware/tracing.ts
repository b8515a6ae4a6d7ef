import "server-only";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { failSpan, tracer, tracingEnabled } from "../../tracing/tracing";
import type { Middleware } from "../bus";

/**
 * A span per command or query ("command CaptureContactDetails"), the active span for everything the message does
 * (the append's span is its child). Attributes: the message's type, its quote, the actor's kind, the correlation id
 * and the outcome ("ok" or the refusal's kind; a thrown error fails the span). First on the bus, so the other
 * middleware's log lines carry its trace id. Without tracing, it only passes the message on.
 */
export function tracingMiddleware(kind: "command" | "query"): Middleware {
  return (command, _definition, next) => {
    if (!tracingEnabled()) return next(command);
    const payload = command.payload as { quoteId?: unknown } | null;
    const quoteId = typeof payload?.quoteId === "string" ? payload.quoteId : undefined;
    return tracer().startActiveSpan(
      `${kind} ${command.type}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          "cqrs.message.kind": kind,
          "cqrs.message.type": command.type,
          "cqrs.command_id": command.metadata.commandId,
          "cqrs.correlation_id": command.metadata.correlationId,
          "cqrs.actor": command.metadata.actor.kind,
          ...(quoteId ? { "quote.id": quoteId } : {}),
        },
      },
      async (span) => {
        try {
          const result = await next(command);
          if (result.ok) {
            const value = result.value as { quoteId?: unknown } | null;
            if (!quoteId && typeof value?.quoteId === "string") span.setAttribute("quote.id", value.quoteId);
            span.setAttribute("cqrs.outcome", "ok");
          } else {
            span.setAttribute("cqrs.outcome", result.error.kind);
            // A refusal is an answer, not a fault of the server; only "unavailable" is one.
            if (result.error.kind === "unavailable") span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.detail });
          }
          return result;
        } catch (error) {
          span.setAttribute("cqrs.outcome", "error");
          failSpan(span, error);
          throw error;
        } finally {
          span.end();
        }
      },
    );
  };
}
