import "server-only";
import pino from "pino";
import { config } from "../config";
import { activeTraceIds } from "../tracing/tracing";

/**
 * Structured JSON logs (one line per event) for every process; `name` tells which process wrote it. A line written
 * inside a span carries its trace_id and span_id (only while tracing is on, lib/tracing).
 */
export function createLogger(name: string) {
  return pino({ name, level: config().LOG_LEVEL, base: { pid: process.pid }, mixin: activeTraceIds });
}

export type Logger = ReturnType<typeof createLogger>;
