import { decisionRoute } from "@/lib/agent/decision-route";

/** POST /api/admin/quotes/{quoteId}/approve (agents only). */
export const POST = decisionRoute("approve");
