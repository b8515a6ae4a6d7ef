import { capturePageRoute, withRouteMetrics } from "@/lib/http/route-handler";

/** Captures (or re-captures) the geographic details page of a draft quote: 200 {quoteId, version}. */
export const PUT = withRouteMetrics("/api/quotes/[quoteId]/geographic-details", capturePageRoute("CaptureGeographicDetails"));
