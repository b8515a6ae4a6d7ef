import { decisionRoute } from "@/lib/agent/decision-route";

/** POST /api/admin/quotes/{quoteId}/reject (agents only). */
export const POST = decisionRoute("reject");
