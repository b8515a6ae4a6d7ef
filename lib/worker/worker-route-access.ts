import "server-only";
import { timingSafeEqual } from "node:crypto";
import { withAgent } from "../auth/agent-route";
import { checkAgentRequest } from "../auth/session";
import { config } from "../config";
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

/** The worker routes answer agents (session checked on the server) or a scheduler holding WORKER_DRAIN_SECRET. */
export async function withWorkerAccess(request: Request, handle: () => Promise<Response>): Promise<Response> {
  if (!hasWorkerSecret(request)) return withAgent(request, handle);
  try {
    return await handle();
  } catch (error) {
    return unexpectedErrorResponse(error, new URL(request.url).pathname);
  }
}
