import { prettyFactory } from "pino-pretty";

const pretty = prettyFactory({ colorize: Boolean(process.stdout.isTTY), ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss.l", singleLine: true });
/** kafkajs logs JSON of its own, with the level as a word. */
const LEVELS: Record<string, number> = { DEBUG: 20, INFO: 30, WARN: 40, ERROR: 50, NOTHING: 60 };

/** A JSON log line (the app's pino lines, kafkajs's) as one line a person reads; any other line as it is. */
export function readableLogLine(line: string): string {
  const entry = parseLogLine(line);
  if (!entry) return line;
  const { message, logger, ...rest } = entry;
  const level = typeof entry.level === "string" ? (LEVELS[entry.level] ?? 30) : entry.level;
  return pretty({ ...rest, level, msg: entry.msg ?? message, name: entry.name ?? logger }).trimEnd();
}

/** The line as a log entry when it is one (JSON with a level), else null. */
export function parseLogLine(line: string): (Record<string, unknown> & { level: number | string; msg?: unknown; message?: unknown; name?: unknown; logger?: unknown }) | null {
  if (!line.startsWith("{")) return null;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    return typeof entry.level === "number" || typeof entry.level === "string" ? (entry as ReturnType<typeof parseLogLine>) : null;
  } catch {
    return null;
  }
}
