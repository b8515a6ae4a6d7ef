import type { QuoteVersionResponse } from "@/lib/commands/quote-commands";
import { handleCommandRoute, json } from "@/lib/http/route-handler";

/** Captures (or re-captures) the family details page of a draft quote. */
export async function PUT(request: Request, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  return handleCommandRoute<QuoteVersionResponse>(request, {
    type: "CaptureFamilyDetails",
    quoteId,
    takesBody: true,
    payload: (details) => ({ quoteId, details }),
    respond: (value) => json(value, { version: value.version }),
  });
}
