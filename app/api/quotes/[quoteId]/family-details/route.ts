import { capturePageRoute, withRouteMetrics } from "@/lib/http/route-handler";

/** Captures (or re-captures) the family details page of a draft quote: 200 {quoteId, version}. */
export const PUT = withRouteMetrics("/api/quotes/[quoteId]/family-details", capturePageRoute("CaptureFamilyDetails"));
