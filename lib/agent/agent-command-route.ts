import "server-only";
import { withAgent } from "@/lib/auth/agent-route";
import type { AgentSession } from "@/lib/auth/session";
import type { Result } from "@/lib/cqrs/app-error";
import { problemResponse } from "@/lib/http/problem";
import { readJsonBody } from "@/lib/http/read-json-body";
import { requestMetadata } from "@/lib/http/request-metadata";
import { json, refusal } from "@/lib/http/route-handler";
import { decideQuote, type CommandOptions, type Decision } from "./decisions";

type AgentQuoteCommand<Value> = (session: AgentSession, quoteId: string, body: unknown, options: CommandOptions) => Promise<Result<Value>>;

/**
 * POST /api/admin/quotes/{quoteId}/<action>: the agent's session, an optional JSON body, optional Idempotency-Key and
 * If-Match headers; `status` (200 unless given) with the command's answer and its version as the ETag, or problem+json.
 */
export function agentQuoteCommandRoute<Value extends { version: number }>(run: AgentQuoteCommand<Value>, options: { status?: number } = {}) {
  return async function POST(request: Request, { params }: { params: Promise<{ quoteId: string }> }): Promise<Response> {
    const { quoteId } = await params;
    return withAgent(request, async (session, instance) => {
      const parsed = await readJsonBody(request, { optional: true });
      if (!parsed.ok) return problemResponse(parsed.error, { instance });
      const metadata = requestMetadata(request, quoteId, session.actor);
      if (!metadata.ok) return problemResponse(metadata.error, { instance });
      const { idempotencyKey, expectedVersion, correlationId } = metadata.value;
      const result = await run(session, quoteId, parsed.value, { idempotencyKey, expectedVersion, correlationId });
      if (!result.ok) return refusal(result.error, instance);
      return json(result.value, { status: options.status ?? 200, version: result.value.version });
    });
  };
}

/** POST /api/admin/quotes/{quoteId}/approve|reject|refer: body {reason} (optional for approve); 200 {quoteId, version, status}. */
export function decisionRoute(decision: Decision) {
  // No body (or an empty one) is an empty decision: approving needs nothing, and reject/refer then say "Enter a reason".
  return agentQuoteCommandRoute((session, quoteId, body, options) => decideQuote(session, decision, quoteId, body === undefined ? {} : body, options));
}
