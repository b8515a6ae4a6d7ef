import { quoteDetails } from "@/lib/agent/queries";
import { withAgent } from "@/lib/auth/agent-route";
import { quoteDocumentResponse } from "@/lib/http/quote-document-response";
import { refusal, withRouteMetrics } from "@/lib/http/route-handler";

/** GET /api/admin/quotes/{quoteId}/document: the quote as the one-page PDF its customer downloads. */
async function get(request: Request, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  return withAgent(request, async (session, instance) => {
    const result = await quoteDetails(session, quoteId);
    if (!result.ok) return refusal(result.error, instance);
    return quoteDocumentResponse(result.value);
  });
}

export const GET = withRouteMetrics("/api/admin/quotes/[quoteId]/document", get);
