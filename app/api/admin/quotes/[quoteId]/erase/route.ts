import { withAgent } from "@/lib/auth/agent-route";
import { eraseQuoteAsAgent } from "@/lib/agent/erasure";
import { problemResponse } from "@/lib/http/problem";
import { readJsonBody } from "@/lib/http/read-json-body";
import { requestMetadata } from "@/lib/http/request-metadata";
import { json, refusal, withRouteMetrics } from "@/lib/http/route-handler";

/**
 * POST /api/admin/quotes/{quoteId}/erase (agents only): JSON body {reason}. Erases the quote's personal data:
 * 200 {quoteId, version, personalDataErased: true}; 404 for no such quote; 409 PersonalDataErased when already done.
 */
async function post(request: Request, { params }: { params: Promise<{ quoteId: string }> }): Promise<Response> {
  const { quoteId } = await params;
  return withAgent(request, async (session, instance) => {
    const parsed = await readJsonBody(request, { optional: true });
    if (!parsed.ok) return problemResponse(parsed.error, { instance });
    const metadata = requestMetadata(request, quoteId, session.actor);
    if (!metadata.ok) return problemResponse(metadata.error, { instance });
    const { idempotencyKey, expectedVersion, correlationId } = metadata.value;
    const result = await eraseQuoteAsAgent(session, quoteId, parsed.value, { idempotencyKey, expectedVersion, correlationId });
    if (!result.ok) return refusal(result.error, instance);
    return json(result.value, { version: result.value.version });
  });
}

export const POST = withRouteMetrics("/api/admin/quotes/[quoteId]/erase", post);
