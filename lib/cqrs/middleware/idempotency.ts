import "server-only";
import { createHash } from "node:crypto";
import { fail, ok, type Result } from "../app-error";
import type { Middleware } from "../bus";
import type { Command, IdempotencyClaim } from "../command";

export interface StoredIdempotentResult {
  fingerprint: string;
  response: unknown;
}

export interface IdempotencyStore {
  /** The unexpired record of this key in this scope. */
  find(scope: string, key: string): Promise<StoredIdempotentResult | null>;
}

/** JSON with object keys sorted, so two payloads that mean the same have the same fingerprint. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function idempotencyClaim(command: Command, key: string): IdempotencyClaim {
  const quoteId = (command.payload as { quoteId?: unknown } | null)?.quoteId;
  const { actor, clientAddress } = command.metadata;
  const scope = typeof quoteId === "string" ? `quote:${quoteId}` : actor.kind === "agent" ? `agent:${actor.agentId}` : `caller:${clientAddress ?? "unknown"}`;
  const fingerprint = createHash("sha256").update(canonicalJson({ type: command.type, payload: command.payload })).digest("hex");
  return { key, scope, fingerprint, commandType: command.type };
}

/**
 * A command carrying an idempotency key seen before in the same scope (its quote; for a command on no one quote, the
 * agent who sent it, or for a quote not yet started, its caller) returns the first response and runs nothing; the same key with a different request is refused (422),
 * as the IETF Idempotency-Key draft has it. The handler stores the record in the same transaction as its events,
 * so two racing repeats append once.
 */
export function idempotencyMiddleware(store: IdempotencyStore): Middleware {
  return async (command, definition, next) => {
    const key = command.metadata.idempotencyKey;
    if (!key) return next(command);
    const claim = idempotencyClaim(command, key);
    const replay = async (record: StoredIdempotentResult): Promise<Result<unknown>> => {
      if (record.fingerprint !== claim.fingerprint) {
        return fail({ kind: "unprocessable", code: "IdempotencyKeyReused", detail: "This Idempotency-Key was already used for a different request. Use a new key for a new request." });
      }
      return definition.replay ? definition.replay(record.response, command) : ok(record.response);
    };
    const previous = command.metadata.reads ? (await command.metadata.reads()).idempotency : await store.find(claim.scope, key);
    if (previous) return replay(previous);
    const result = await next({ ...command, metadata: { ...command.metadata, idempotency: claim } });
    if (!result.ok && result.error.kind === "conflict" && result.error.code === "IdempotencyReplay") {
      const first = await store.find(claim.scope, key);
      if (first) return replay(first);
    }
    return result;
  };
}
