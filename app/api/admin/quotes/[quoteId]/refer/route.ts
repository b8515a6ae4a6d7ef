import { decisionRoute } from "@/app/(agent)/admin/_server/decision-route";

/** POST /api/admin/quotes/{quoteId}/refer (agents only). */
export const POST = decisionRoute("refer");
