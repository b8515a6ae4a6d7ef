import type { SubmitQuoteResponse } from "@/lib/commands/quote-commands";
import { handleCommandRoute, json } from "@/lib/http/route-handler";

/** Submits a complete draft: 200 {quoteId, version, status: "submitted", premium}. */
export async function POST(request: Request, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  return handleCommandRoute<SubmitQuoteResponse>(request, {
    type: "SubmitQuote",
    quoteId,
    takesBody: false,
    payload: () => ({ quoteId }),
    respond: (value) => json(value, { version: value.version }),
  });
}
