import "server-only";
import type { Logger } from "../../logging/logger";
import type { Middleware } from "../bus";

/** One structured line per command: type, quote, correlation id, duration and outcome. */
export function loggingMiddleware(log: Logger): Middleware {
  return async (command, _definition, next) => {
    const started = performance.now();
    const payload = command.payload as { quoteId?: unknown } | null;
    const fields = {
      command: command.type,
      commandId: command.metadata.commandId,
      correlationId: command.metadata.correlationId,
      quoteId: typeof payload?.quoteId === "string" ? payload.quoteId : undefined,
      actor: command.metadata.actor.kind,
    };
    try {
      const result = await next(command);
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      if (result.ok) log.info({ ...fields, durationMs, outcome: "ok" }, "command handled");
      else log.info({ ...fields, durationMs, outcome: result.error.kind, detail: result.error.detail }, "command refused");
      return result;
    } catch (error) {
      log.error({ ...fields, durationMs: Math.round(performance.now() - started), outcome: "error", err: error }, "command failed");
      throw error;
    }
  };
}
