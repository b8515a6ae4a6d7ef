import type { DecisionResponse } from "@/lib/commands/quote-commands";
import { handleCommandRoute, json, withRouteMetrics } from "@/lib/http/route-handler";

/**
 * The customer withdraws the quote (CancelQuote): a draft, or a submitted quote not yet approved or rejected.
 * 200 {quoteId, version, status: "cancelled"}; 409 QuoteAlreadyDecided or QuoteCancelled naming why not.
 */
async function post(request: Request, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  return handleCommandRoute<DecisionResponse>(request, {
    type: "CancelQuote",
    quoteId,
    takesBody: false,
    payload: () => ({ quoteId }),
    respond: (value) => json(value, { version: value.version }),
  });
}

export const POST = withRouteMetrics("/api/quotes/[quoteId]/cancel", post);
