import type { Result } from "../app-error";
import type { Middleware } from "../bus";

export interface IdempotencyStore {
  find(key: string): Promise<unknown | null>;
}

/**
 * A command carrying an idempotency key that was seen before returns the first response and runs nothing.
 * The handler stores the key in the same transaction as its events, so two racing repeats append once.
 */
export function idempotencyMiddleware(store: IdempotencyStore): Middleware {
  return async (command, _definition, next) => {
    const key = command.metadata.idempotencyKey;
    if (!key) return next(command);
    const scopedKey = `${command.type}:${key}`;
    const previous = await store.find(scopedKey);
    if (previous !== null) return { ok: true, value: previous } as Result<unknown>;
    const result = await next({ ...command, metadata: { ...command.metadata, idempotencyKey: scopedKey } });
    if (!result.ok && result.error.kind === "conflict" && result.error.code === "IdempotencyReplay") {
      const first = await store.find(scopedKey);
      if (first !== null) return { ok: true, value: first };
    }
    return result;
  };
}
