/**
 * Who is asking: every admin page, server action and API route asks here, on the server.
 * No session → unauthorized (401, or a redirect to sign-in for pages); a signed-in user who is not an agent →
 * forbidden (403).
 */
import "server-only";
import type { AppError } from "../cqrs/app-error";
import type { AgentActor } from "../domain/quote";
import { AGENT_ROLE, getAuth, type Auth } from "./auth";

export interface AgentIdentity {
  id: string;
  name: string;
  email: string;
}

export interface AgentSession {
  actor: AgentActor;
  agent: AgentIdentity;
}

export type AgentCheck = { ok: true; session: AgentSession } | { ok: false; error: Extract<AppError, { kind: "unauthorized" | "forbidden" }> };

export const NOT_SIGNED_IN: Extract<AppError, { kind: "unauthorized" }> = { kind: "unauthorized", detail: "Sign in as an agent to do this." };

const notAnAgent = (email: string): Extract<AppError, { kind: "forbidden" }> => ({
  kind: "forbidden",
  detail: `You are signed in as ${email}, which is not an agent account, so you cannot use the agent admin.`,
});

/** Checks the session the request's cookies carry. */
export async function checkAgentSession(headers: Headers, auth: Auth = getAuth()): Promise<AgentCheck> {
  const found = await auth.api.getSession({ headers });
  if (!found) return { ok: false, error: NOT_SIGNED_IN };
  const { user } = found;
  if (user.role !== AGENT_ROLE) return { ok: false, error: notAnAgent(user.email) };
  return { ok: true, session: { actor: { kind: "agent", agentId: user.id }, agent: { id: user.id, name: user.name, email: user.email } } };
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * For API routes. A state-changing request that names another site as its Origin is refused before the session is
 * even read: the session cookie is SameSite=Lax already, this is the second lock on the door.
 */
export async function checkAgentRequest(request: Request, auth: Auth = getAuth()): Promise<AgentCheck> {
  if (UNSAFE_METHODS.has(request.method) && !isSameOrigin(request)) {
    return { ok: false, error: { kind: "forbidden", detail: "This request came from another site, so it was refused." } };
  }
  return checkAgentSession(request.headers, auth);
}

function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return true; // not a browser (curl, scripts), or a same-origin GET-like navigation
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
