import { bulkDecideQuotes, commandStatusUrl } from "@/lib/agent/bulk-decisions";
import { withAgent } from "@/lib/auth/agent-route";
import { problemResponse } from "@/lib/http/problem";
import { readJsonBody } from "@/lib/http/read-json-body";
import { requestMetadata } from "@/lib/http/request-metadata";
import { json, refusal, withRouteMetrics } from "@/lib/http/route-handler";

/**
 * POST /api/admin/quotes/bulk-decisions (agents only): JSON body {decision: approve|refer, quoteIds, reason?}. Queued
 * durably and acknowledged at once: 202 {commandId, statusUrl, total} with Location; the worker decides each quote.
 */
async function post(request: Request): Promise<Response> {
  return withAgent(request, async (session, instance) => {
    const parsed = await readJsonBody(request);
    if (!parsed.ok) return problemResponse(parsed.error, { instance });
    const metadata = requestMetadata(request, null, session.actor);
    if (!metadata.ok) return problemResponse(metadata.error, { instance });
    const { idempotencyKey, correlationId } = metadata.value;
    const result = await bulkDecideQuotes(session, parsed.value, { idempotencyKey, correlationId });
    if (!result.ok) return refusal(result.error, instance);
    const statusUrl = commandStatusUrl(result.value.commandId);
    return json({ ...result.value, statusUrl }, { status: 202, headers: { location: statusUrl } });
  });
}

export const POST = withRouteMetrics("/api/admin/quotes/bulk-decisions", post);
