import { withAgent } from "@/lib/auth/agent-route";
import { addQuoteNote } from "@/lib/agent/notes";
import { problemResponse } from "@/lib/http/problem";
import { readJsonBody } from "@/lib/http/read-json-body";
import { requestMetadata } from "@/lib/http/request-metadata";
import { json, refusal, withRouteMetrics } from "@/lib/http/route-handler";

/**
 * POST /api/admin/quotes/{quoteId}/notes (agents only): JSON body {note}. 201 {quoteId, version}; 400 naming the
 * field for a blank or too long note; 404 for no such quote; 409 PersonalDataErased once the quote's data is erased.
 */
async function post(request: Request, { params }: { params: Promise<{ quoteId: string }> }): Promise<Response> {
  const { quoteId } = await params;
  return withAgent(request, async (session, instance) => {
    const parsed = await readJsonBody(request, { optional: true });
    if (!parsed.ok) return problemResponse(parsed.error, { instance });
    const metadata = requestMetadata(request, quoteId, session.actor);
    if (!metadata.ok) return problemResponse(metadata.error, { instance });
    const { idempotencyKey, expectedVersion, correlationId } = metadata.value;
    const result = await addQuoteNote(session, quoteId, parsed.value, { idempotencyKey, expectedVersion, correlationId });
    if (!result.ok) return refusal(result.error, instance);
    return json(result.value, { status: 201, version: result.value.version });
  });
}

export const POST = withRouteMetrics("/api/admin/quotes/[quoteId]/notes", post);
