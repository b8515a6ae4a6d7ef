import type { CustomerQuoteView } from "@/lib/queries/customer-quote-view";
import { customerQueryRoute, json, withRouteMetrics } from "@/lib/http/route-handler";

/**
 * The quote as its customer sees it, from the read model; 404 without the right access token.
 * `?minVersion=N` (the version a write just returned) waits for it and otherwise answers `stale: true`.
 */
const get = customerQueryRoute<CustomerQuoteView>({
  type: "GetQuoteForCustomer",
  payload: minVersionParam,
  respond: (quote) => json(quote, { version: quote.version }),
});

function minVersionParam(request: Request): { minVersion?: string } {
  const value = new URL(request.url).searchParams.get("minVersion");
  return value === null ? {} : { minVersion: value };
}

export const GET = withRouteMetrics("/api/quotes/[quoteId]", get);
