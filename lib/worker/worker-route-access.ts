import "server-only";
import { timingSafeEqual } from "node:crypto";
import { withAgent } from "../auth/agent-route";
import { checkAgentRequest } from "../auth/session";
import { config } from "../config";
import type { Actor } from "../domain/quote";
import { unexpectedErrorResponse } from "../http/route-handler";

function hasWorkerSecret(request: Request): boolean {
  const secret = config().WORKER_DRAIN_SECRET;
  const given = request.headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!secret || !given) return false;
  const [a, b] = [Buffer.from(secret), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether the request may see operational detail: it holds WORKER_DRAIN_SECRET or a signed-in agent's session. Never throws. */
export async function hasWorkerAccess(request: Request): Promise<boolean> {
  if (hasWorkerSecret(request)) return true;
  try {
    return (await checkAgentRequest(request)).ok;
  } catch {
    return false; // the session store is unreachable: answer as to a stranger
  }
}

/** A scheduler holding WORKER_DRAIN_SECRET acts as the platform itself. */
const SCHEDULER: Actor = { kind: "system", name: "scheduler" };

/**
 * The worker routes answer agents (session checked on the server) or a scheduler holding WORKER_DRAIN_SECRET;
 * `handle` gets the actor the route's command or query runs as.
 */
export async function withWorkerAccess(request: Request, handle: (actor: Actor) => Promise<Response>): Promise<Response> {
  if (!hasWorkerSecret(request)) return withAgent(request, (session) => handle(session.actor));
  try {
    return await handle(SCHEDULER);
  } catch (error) {
    return unexpectedErrorResponse(error, new URL(request.url).pathname);
  }
}
