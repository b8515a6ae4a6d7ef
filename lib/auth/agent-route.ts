import "server-only";
import { unexpectedErrorResponse } from "../http/route-handler";
import { problemResponse } from "../http/problem";
import { checkAgentRequest, type AgentSession } from "./session";

/**
 * An agent-only API route: the session is checked on the server before anything else (401 without one, 403 for a
 * user who is not an agent, both problem+json); anything that escapes the handler is a 500/503 problem, never a
 * stack trace.
 */
export async function withAgent(request: Request, handle: (session: AgentSession, instance: string) => Promise<Response>): Promise<Response> {
  const instance = new URL(request.url).pathname;
  try {
    const check = await checkAgentRequest(request);
    if (!check.ok) return problemResponse(check.error, { instance, headers: check.error.kind === "unauthorized" ? { "www-authenticate": 'Cookie realm="agents"' } : {} });
    return await handle(check.session, instance);
  } catch (error) {
    return unexpectedErrorResponse(error, instance);
  }
}
