/**
 * An agent's decision (approve / reject / refer) and the "retry application number" request: the same command
 * objects whether they come from a server action (the admin pages) or the agent API.
 */
import "server-only";
import { z } from "zod";
import type { DecisionResponse, QuoteVersionResponse } from "@/lib/commands/quote-commands";
import { fieldErrorsFrom, type Result } from "@/lib/cqrs/app-error";
import type { AgentSession } from "@/lib/auth/session";
import { message } from "@/lib/cqrs/message";
import { services } from "@/lib/services";
import { approveQuoteBodySchema, referQuoteBodySchema, rejectQuoteBodySchema } from "@/schemas/quote";

export const DECISIONS = ["approve", "reject", "refer"] as const;
export type Decision = (typeof DECISIONS)[number];

const COMMAND: Record<Decision, { type: "ApproveQuote" | "RejectQuote" | "ReferQuote"; body: z.ZodType<{ reason?: string }> }> = {
  approve: { type: "ApproveQuote", body: approveQuoteBodySchema },
  reject: { type: "RejectQuote", body: rejectQuoteBodySchema },
  refer: { type: "ReferQuote", body: referQuoteBodySchema },
};

export interface CommandOptions {
  idempotencyKey?: string;
  expectedVersion?: number;
  correlationId?: string;
}

/** Validates the body against the decision's schema (reject and refer need a reason), then runs the command. */
export async function decideQuote(session: AgentSession, decision: Decision, quoteId: string, body: unknown, options: CommandOptions = {}): Promise<Result<DecisionResponse>> {
  const { type, body: schema } = COMMAND[decision];
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    return { ok: false, error: { kind: "validation", detail: "Check the decision: some fields are not valid.", errors: fieldErrorsFrom(parsed.error.issues) } };
  }
  return services().commandBus.execute<DecisionResponse>(message(type, { quoteId, ...parsed.data }, { actor: session.actor, ...options }));
}

/** Queues a new request for the quote's application number (after a failure); the worker runs it. */
export function requestApplicationNumberAsAgent(session: AgentSession, quoteId: string, options: CommandOptions = {}): Promise<Result<QuoteVersionResponse>> {
  return services().commandBus.execute<QuoteVersionResponse>(message("RequestApplicationNumber", { quoteId }, { actor: session.actor, ...options }));
}
