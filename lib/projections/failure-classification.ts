import "server-only";
import { EventDecodeError } from "../messaging/avro/errors";
import { ProjectionGapError } from "./quote-read-model";

/**
 * Whose fault a projection failure is. "message": the same bytes will fail the same way every time, so the
 * message is parked and the partition moves on. "environment": the database or the network is the problem, so
 * the batch is retried later, never parked.
 */
export type Fault = "message" | "environment";

export interface ClassifiedFailure {
  fault: Fault;
  /** One line for logs and the dead-letter record. */
  reason: string;
  /** The PostgreSQL SQLSTATE, when the failure came from the database. */
  sqlState?: string;
}

/** A message the projector refuses before applying it: its key is not a quote id, or its event is for another quote. */
export class MessageRejectedError extends Error {
  override readonly name = "MessageRejectedError";
}

// SQLSTATE classes: 22 data exception, 23 integrity constraint violation: the values the message carries.
const MESSAGE_FAULT_CLASSES = new Set(["22", "23"]);
// 08 connection exception, 40 transaction rollback (serialization failure, deadlock), 53 insufficient resources,
// 57 operator intervention (shutdown, cancel, idle timeout), 58 system error (I/O).
const ENVIRONMENT_CLASSES = new Set(["08", "40", "53", "57", "58"]);

/** Prisma's codes for failures with no SQLSTATE: unreachable server, pool or transaction timeouts, conflicts. */
const ENVIRONMENT_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1011", "P1017", "P2024", "P2028", "P2034"]);
/** The pg driver adapter's kinds of the same. */
const ENVIRONMENT_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TlsConnectionError", "TransactionWriteConflict"]);
const ENVIRONMENT_SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

const SQLSTATE = /^[0-9A-Z]{5}$/;

type Loose = { code?: unknown; kind?: unknown; originalCode?: unknown; severity?: unknown; meta?: { driverAdapterError?: { cause?: Loose } }; cause?: unknown };

/** The errors a failure wraps, outermost first: Prisma's error → its driver adapter error's cause → `cause` chain. */
function chain(error: unknown): Loose[] {
  const found: Loose[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === "object" && depth < 6; depth++) {
    const loose = current as Loose;
    found.push(loose);
    const adapterCause = loose.meta?.driverAdapterError?.cause;
    if (adapterCause) found.push(adapterCause);
    current = loose.cause;
  }
  return found;
}

/** The SQLSTATE a database failure carries, wherever Prisma or pg put it. */
export function sqlStateOf(error: unknown): string | undefined {
  for (const part of chain(error)) {
    // The adapter's `originalCode`, or pg's own error (it has a severity); Prisma's `code` (P2010) is not one.
    const code = part.originalCode ?? (part.severity ? part.code : undefined);
    if (typeof code === "string" && SQLSTATE.test(code)) return code;
  }
  return undefined;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.replace(/\s+/g, " ").trim()}`;
  return String(error);
}

/** Decides whether a failure is the message's fault (park it) or the environment's (retry with backoff). */
export function classifyFailure(error: unknown): ClassifiedFailure {
  const reason = describeError(error);
  if (error instanceof EventDecodeError || error instanceof ProjectionGapError || error instanceof MessageRejectedError) return { fault: "message", reason };
  const sqlState = sqlStateOf(error);
  if (sqlState) {
    const sqlClass = sqlState.slice(0, 2);
    if (MESSAGE_FAULT_CLASSES.has(sqlClass)) return { fault: "message", reason, sqlState };
    if (ENVIRONMENT_CLASSES.has(sqlClass)) return { fault: "environment", reason, sqlState };
    // Anything else (a missing table, a syntax error, a lock timeout) is ours to fix, not the message's: retry.
    return { fault: "environment", reason, sqlState };
  }
  for (const part of chain(error)) {
    if (typeof part.code === "string" && (ENVIRONMENT_PRISMA_CODES.has(part.code) || ENVIRONMENT_SOCKET_CODES.has(part.code))) return { fault: "environment", reason };
    if (typeof part.kind === "string" && ENVIRONMENT_ADAPTER_KINDS.has(part.kind)) return { fault: "environment", reason };
  }
  // Unknown: retrying is safe (nothing is lost), parking on a guess is not.
  return { fault: "environment", reason };
}
