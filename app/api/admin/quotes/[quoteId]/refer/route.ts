import { decisionRoute } from "@/lib/agent/decision-route";

/** POST /api/admin/quotes/{quoteId}/refer (agents only). */
export const POST = decisionRoute("refer");
