import type { Actor } from "../domain/quote";

export interface CommandMetadata {
  commandId: string;
  correlationId: string;
  causationId: string | null;
  actor: Actor;
  /** A customer's proof of access to one quote (cookie or bearer token). */
  accessToken?: string;
  /** Repeats with the same key return the first result and append nothing. */
  idempotencyKey?: string;
  /** Where the request came from (see lib/http/client-address.ts): throttles are keyed on it. */
  clientAddress?: string;
  /** From If-Match: the version the caller last saw; a different current version answers 412. */
  expectedVersion?: number;
}

export interface Command<Type extends string = string, Payload = unknown> {
  type: Type;
  payload: Payload;
  metadata: CommandMetadata;
}
