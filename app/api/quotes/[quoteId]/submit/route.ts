import type { SubmitQuoteResponse } from "@/lib/commands/quote-commands";
import { handleCommandRoute, json, withRouteMetrics } from "@/lib/http/route-handler";

/** Submits a complete draft: 200 {quoteId, version, status: "submitted", premium}. */
async function post(request: Request, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  return handleCommandRoute<SubmitQuoteResponse>(request, {
    type: "SubmitQuote",
    quoteId,
    takesBody: false,
    payload: () => ({ quoteId }),
    respond: (value) => json(value, { version: value.version }),
  });
}

export const POST = withRouteMetrics("/api/quotes/[quoteId]/submit", post);
