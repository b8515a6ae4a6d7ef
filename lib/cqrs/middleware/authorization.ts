import "server-only";
import type { Middleware } from "../bus";

/** Asks the command's own policy whether this actor may run it. */
export const authorizationMiddleware: Middleware = async (command, definition, next) => {
  const refusal = await definition.authorize(command as never);
  return refusal ? { ok: false, error: refusal } : next(command);
};
