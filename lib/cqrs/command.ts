import "server-only";
import type { Actor } from "../domain/quote";
import type { CommandReads } from "../eventstore/event-store";

export interface CommandMetadata {
  commandId: string;
  correlationId: string;
  causationId: string | null;
  actor: Actor;
  /** A customer's proof of access to one quote (cookie or bearer token). */
  accessToken?: string;
  /** Repeats with the same key return the first result and append nothing. */
  idempotencyKey?: string;
  /** Set by the idempotency middleware: where the key is scoped and what the request was, for the handler to store. */
  idempotency?: IdempotencyClaim;
  /** Where the request came from (see lib/http/client-address.ts): throttles are keyed on it. */
  clientAddress?: string;
  /** From If-Match: the version the caller last saw; 412 when what the command is based on changed since. */
  expectedVersion?: number;
  /** Everything the command reads before deciding, in one statement on first call (see commandReadsMiddleware). */
  reads?: () => Promise<CommandReads>;
}

export interface Command<Type extends string = string, Payload = unknown> {
  type: Type;
  payload: Payload;
  metadata: CommandMetadata;
}

export interface IdempotencyClaim {
  key: string;
  /** The quote the command is about, or the caller for a command that creates one. */
  scope: string;
  /** SHA-256 of the command's type and payload: the same key with another request is refused. */
  fingerprint: string;
  commandType: string;
}
