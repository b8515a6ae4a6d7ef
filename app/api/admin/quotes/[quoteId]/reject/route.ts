import { decisionRoute } from "@/app/(agent)/admin/_server/decision-route";

/** POST /api/admin/quotes/{quoteId}/reject (agents only). */
export const POST = decisionRoute("reject");
