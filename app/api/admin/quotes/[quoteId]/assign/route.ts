import { agentQuoteCommandRoute } from "@/lib/agent/agent-command-route";
import { assignQuote } from "@/lib/agent/assignment";
import { withRouteMetrics } from "@/lib/http/route-handler";

/**
 * POST /api/admin/quotes/{quoteId}/assign (agents only): no body assigns the quote to the caller; {agentId} to that
 * agent. 200 {quoteId, version, assignedTo}, also when it was already theirs (nothing is recorded then); 400 for an
 * unknown agent; 404 for no such quote; 412 when If-Match is older than the last assignment.
 */
export const POST = withRouteMetrics("/api/admin/quotes/[quoteId]/assign", agentQuoteCommandRoute(assignQuote));
