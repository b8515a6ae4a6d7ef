import "server-only";
import { withAgent } from "@/lib/auth/agent-route";
import { problemResponse } from "@/lib/http/problem";
import { readJsonBody } from "@/lib/http/read-json-body";
import { requestMetadata } from "@/lib/http/request-metadata";
import { json, refusal } from "@/lib/http/route-handler";
import { decideQuote, type Decision } from "./decisions";

/**
 * POST /api/admin/quotes/{quoteId}/approve|reject|refer: JSON body {reason} (optional for approve), optional
 * Idempotency-Key and If-Match headers; 200 {quoteId, version, status}, or problem+json.
 */
export function decisionRoute(decision: Decision) {
  return async function POST(request: Request, { params }: { params: Promise<{ quoteId: string }> }): Promise<Response> {
    const { quoteId } = await params;
    return withAgent(request, async (session, instance) => {
      // No body (or an empty one) is an empty decision: approving needs nothing, and reject/refer then say "Enter a reason".
      const parsed = await readJsonBody(request, { optional: true });
      if (!parsed.ok) return problemResponse(parsed.error, { instance });
      const body = parsed.value === undefined ? {} : parsed.value;
      const metadata = requestMetadata(request, quoteId, session.actor);
      if (!metadata.ok) return problemResponse(metadata.error, { instance });
      const { idempotencyKey, expectedVersion, correlationId } = metadata.value;
      const result = await decideQuote(session, decision, quoteId, body, { idempotencyKey, expectedVersion, correlationId });
      if (!result.ok) return refusal(result.error, instance);
      return json(result.value, { version: result.value.version });
    });
  };
}
