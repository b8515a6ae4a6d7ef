import "server-only";
import pino from "pino";
import { config } from "../config";
import { activeTraceIds } from "../tracing/tracing";

/**
 * Where a personal value could sit in a log line's object (a command's payload or details, a form's values, an
 * error's `latest` answers): censored whatever logs it, so a future `log.info({ payload })` leaks nothing.
 */
const PERSONAL = ["email", "phoneNumber", "spouseName", "childrenNames", "city", "zipCode"];
const HOLDERS = ["details", "payload", "payload.details", "data", "data.details", "latest.contactDetails", "latest.familyDetails", "latest.geographicDetails", "values"];
export const PERSONAL_DATA_REDACT_PATHS = [...PERSONAL, ...HOLDERS.flatMap((holder) => PERSONAL.map((field) => `${holder}.${field}`)), ...PERSONAL.map((field) => `*.${field}`)];

/**
 * Structured JSON logs (one line per event) for every process; `name` tells which process wrote it. A line written
 * inside a span carries its trace_id and span_id (only while tracing is on, lib/tracing).
 */
export function createLogger(name: string) {
  return pino({ name, level: config().LOG_LEVEL, base: { pid: process.pid }, mixin: activeTraceIds, redact: { paths: PERSONAL_DATA_REDACT_PATHS, censor: "[redacted]" } });
}

export type Logger = ReturnType<typeof createLogger>;
