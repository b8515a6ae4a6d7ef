/** Session checks bound to Next.js's request scope: for server components, layouts and server actions. */
import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { checkAgentSession, type AgentCheck, type AgentSession } from "./session";

export const SIGN_IN_PATH = "/admin/sign-in";

/** One session lookup per request, however many components ask. */
export const currentAgent = cache(async (): Promise<AgentCheck> => checkAgentSession(await headers()));

/** Only relative admin paths are followed after sign-in (never another site). */
export function safeReturnPath(value: string | string[] | undefined | null): string {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || !path.startsWith("/admin") || path.startsWith("//") || path.includes("\\") || path.startsWith(SIGN_IN_PATH)) return "/admin/quotes";
  return path;
}

export function signInUrl(returnTo: string, reason?: "forbidden"): string {
  const params = new URLSearchParams({ next: safeReturnPath(returnTo) });
  if (reason) params.set("reason", reason);
  return `${SIGN_IN_PATH}?${params}`;
}

/**
 * For admin pages: the signed-in agent, or a redirect to the sign-in page (which returns here afterwards).
 * A signed-in user who is not an agent is sent there too, with the reason shown.
 */
export async function requireAgentPage(returnTo: string): Promise<AgentSession> {
  const check = await currentAgent();
  if (!check.ok) redirect(signInUrl(returnTo, check.error.kind === "forbidden" ? "forbidden" : undefined));
  return check.session;
}

/** For server actions: the agent, or the refusal (unauthorized / forbidden) to return as data. */
export async function agentForAction(): Promise<AgentCheck> {
  return checkAgentSession(await headers());
}
