import { agentQuoteCommandRoute } from "@/lib/agent/agent-command-route";
import { addQuoteNote } from "@/lib/agent/notes";
import { withRouteMetrics } from "@/lib/http/route-handler";

/**
 * POST /api/admin/quotes/{quoteId}/notes (agents only): JSON body {note}. 201 {quoteId, version}; 400 naming the
 * field for a blank or too long note; 404 for no such quote; 409 PersonalDataErased once the quote's data is erased.
 */
export const POST = withRouteMetrics("/api/admin/quotes/[quoteId]/notes", agentQuoteCommandRoute(addQuoteNote, { status: 201 }));
