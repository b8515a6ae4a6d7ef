import "server-only";
import { agentNames } from "@/lib/auth/agents";
import type { AssignmentResponse } from "@/lib/commands/quote-commands";
import { fieldErrorsFrom, type Result } from "@/lib/cqrs/app-error";
import type { AgentSession } from "@/lib/auth/session";
import { message } from "@/lib/cqrs/message";
import { services } from "@/lib/services";
import { assignQuoteBodySchema } from "@/schemas/admin";
import type { CommandOptions } from "./decisions";

/**
 * Assigns a quote to the agent who asks ("Assign to me"), or to the agent the body names ({agentId}). Assigning it
 * to the agent who already has it changes nothing and answers as the first time did.
 */
export async function assignQuote(session: AgentSession, quoteId: string, body: unknown, options: CommandOptions = {}): Promise<Result<AssignmentResponse>> {
  const parsed = assignQuoteBodySchema.safeParse(body ?? {});
  if (!parsed.success) {
    return { ok: false, error: { kind: "validation", detail: "Check the assignment: some fields are not valid.", errors: fieldErrorsFrom(parsed.error.issues) } };
  }
  const agentId = parsed.data.agentId ?? session.actor.agentId;
  if (agentId !== session.actor.agentId && !(await agentNames(services().db, [agentId])).has(agentId)) {
    return { ok: false, error: { kind: "validation", detail: "Check the assignment: some fields are not valid.", errors: [{ path: "agentId", message: "No agent has this id" }] } };
  }
  return services().commandBus.execute<AssignmentResponse>(message("AssignQuote", { quoteId, agentId }, { actor: session.actor, ...options }));
}
