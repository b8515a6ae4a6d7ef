import { decisionRoute } from "@/app/(agent)/admin/_server/decision-route";

/** POST /api/admin/quotes/{quoteId}/approve (agents only). */
export const POST = decisionRoute("approve");
