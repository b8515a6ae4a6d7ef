import type { ErasureResponse } from "@/lib/commands/quote-commands";
import { handleCommandRoute, json, withRouteMetrics } from "@/lib/http/route-handler";
import { CUSTOMER_ERASURE_REASON } from "@/schemas/quote";

/**
 * The customer erases the quote's personal data ("Delete my data"): takes no body. 200 {quoteId, version,
 * personalDataErased: true}; 404 without the quote's access token; 409 PersonalDataErased when already done.
 */
async function post(request: Request, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  return handleCommandRoute<ErasureResponse>(request, {
    type: "EraseQuotePersonalData",
    quoteId,
    takesBody: false,
    payload: () => ({ quoteId, reason: CUSTOMER_ERASURE_REASON }),
    respond: (value) => json(value, { version: value.version }),
  });
}

export const POST = withRouteMetrics("/api/quotes/[quoteId]/erase", post);
