import "server-only";
import { errorChain, sqlStateOf, UNAVAILABLE_ADAPTER_KINDS, UNAVAILABLE_PRISMA_CODES, UNAVAILABLE_SOCKET_CODES, UNAVAILABLE_SQL_CLASSES } from "../db/database-failure";
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
// 40 transaction rollback (serialization failure, deadlock) besides the classes that say the database is down.
const ENVIRONMENT_CLASSES = new Set([...UNAVAILABLE_SQL_CLASSES, "40"]);
const ENVIRONMENT_PRISMA_CODES = new Set([...UNAVAILABLE_PRISMA_CODES, "P2034"]);
const ENVIRONMENT_ADAPTER_KINDS = new Set([...UNAVAILABLE_ADAPTER_KINDS, "TransactionWriteConflict"]);

export { sqlStateOf };

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
  for (const part of errorChain(error)) {
    if (typeof part.code === "string" && (ENVIRONMENT_PRISMA_CODES.has(part.code) || UNAVAILABLE_SOCKET_CODES.has(part.code))) return { fault: "environment", reason };
    if (typeof part.kind === "string" && ENVIRONMENT_ADAPTER_KINDS.has(part.kind)) return { fault: "environment", reason };
  }
  // Unknown: retrying is safe (nothing is lost), parking on a guess is not.
  return { fault: "environment", reason };
}
