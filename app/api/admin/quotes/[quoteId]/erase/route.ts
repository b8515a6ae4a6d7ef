import { agentQuoteCommandRoute } from "@/lib/agent/agent-command-route";
import { eraseQuoteAsAgent } from "@/lib/agent/erasure";
import { withRouteMetrics } from "@/lib/http/route-handler";

/**
 * POST /api/admin/quotes/{quoteId}/erase (agents only): JSON body {reason}. Erases the quote's personal data:
 * 200 {quoteId, version, personalDataErased: true}; 404 for no such quote; 409 PersonalDataErased when already done.
 */
export const POST = withRouteMetrics("/api/admin/quotes/[quoteId]/erase", agentQuoteCommandRoute(eraseQuoteAsAgent));
