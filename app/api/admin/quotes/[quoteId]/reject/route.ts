import { withRouteMetrics } from "@/lib/http/route-handler";
import { decisionRoute } from "@/lib/agent/agent-command-route";

/** POST /api/admin/quotes/{quoteId}/reject (agents only). */
export const POST = withRouteMetrics("/api/admin/quotes/[quoteId]/reject", decisionRoute("reject"));
