import { withAgent } from "@/lib/auth/agent-route";
import { assignQuote } from "@/lib/agent/assignment";
import { problemResponse } from "@/lib/http/problem";
import { readJsonBody } from "@/lib/http/read-json-body";
import { requestMetadata } from "@/lib/http/request-metadata";
import { json, refusal, withRouteMetrics } from "@/lib/http/route-handler";

/**
 * POST /api/admin/quotes/{quoteId}/assign (agents only): no body assigns the quote to the caller; {agentId} to that
 * agent. 200 {quoteId, version, assignedTo}, also when it was already theirs (nothing is recorded then); 400 for an
 * unknown agent; 404 for no such quote; 412 when If-Match is older than the last assignment.
 */
async function post(request: Request, { params }: { params: Promise<{ quoteId: string }> }): Promise<Response> {
  const { quoteId } = await params;
  return withAgent(request, async (session, instance) => {
    const parsed = await readJsonBody(request, { optional: true });
    if (!parsed.ok) return problemResponse(parsed.error, { instance });
    const metadata = requestMetadata(request, quoteId, session.actor);
    if (!metadata.ok) return problemResponse(metadata.error, { instance });
    const { idempotencyKey, expectedVersion, correlationId } = metadata.value;
    const result = await assignQuote(session, quoteId, parsed.value, { idempotencyKey, expectedVersion, correlationId });
    if (!result.ok) return refusal(result.error, instance);
    return json(result.value, { version: result.value.version });
  });
}

export const POST = withRouteMetrics("/api/admin/quotes/[quoteId]/assign", post);
