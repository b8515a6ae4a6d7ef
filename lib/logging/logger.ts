import "server-only";
import pino from "pino";
import { config } from "../config";

/** Structured JSON logs (one line per event) for every process; `name` tells which process wrote it. */
export function createLogger(name: string) {
  return pino({ name, level: config().LOG_LEVEL, base: { pid: process.pid } });
}

export type Logger = ReturnType<typeof createLogger>;
