import "server-only";
import { fieldErrorsFrom } from "../app-error";
import type { Middleware } from "../bus";

/** Parses the payload with the command's zod schema; the handler sees the parsed (normalised) payload. */
export const validationMiddleware: Middleware = async (command, definition, next) => {
  const parsed = definition.schema.safeParse(command.payload);
  if (!parsed.success) {
    const errors = fieldErrorsFrom(parsed.error.issues);
    return { ok: false, error: { kind: "validation", detail: errors.map((e) => `${e.path || "body"}: ${e.message}`).join("; "), errors } };
  }
  return next({ ...command, payload: parsed.data });
};
