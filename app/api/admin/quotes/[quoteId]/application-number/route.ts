import { requestApplicationNumberAsAgent } from "@/lib/agent/decisions";
import { withAgent } from "@/lib/auth/agent-route";
import { problemResponse } from "@/lib/http/problem";
import { requestMetadata } from "@/lib/http/request-metadata";
import { json, refusal, withRouteMetrics } from "@/lib/http/route-handler";

/** POST /api/admin/quotes/{quoteId}/application-number: asks the external service again (202: queued for the worker). */
async function post(request: Request, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  return withAgent(request, async (session, instance) => {
    const metadata = requestMetadata(request, quoteId, session.actor);
    if (!metadata.ok) return problemResponse(metadata.error, { instance });
    const { idempotencyKey, correlationId } = metadata.value;
    const result = await requestApplicationNumberAsAgent(session, quoteId, { idempotencyKey, correlationId });
    if (!result.ok) return refusal(result.error, instance);
    return json({ ...result.value, applicationNumberStatus: "pending" }, { status: 202, version: result.value.version });
  });
}

export const POST = withRouteMetrics("/api/admin/quotes/[quoteId]/application-number", post);
