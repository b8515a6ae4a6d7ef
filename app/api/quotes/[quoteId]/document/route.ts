import type { CustomerQuoteView } from "@/lib/queries/customer-quote-view";
import { customerQueryRoute, withRouteMetrics } from "@/lib/http/route-handler";
import { quoteDocumentResponse } from "@/lib/http/quote-document-response";

/** The customer's quote as a one-page PDF download; 404 without the right access token (cookie or bearer). */
const get = customerQueryRoute<CustomerQuoteView>({ type: "GetQuoteForCustomer", respond: (quote) => quoteDocumentResponse(quote) });

export const GET = withRouteMetrics("/api/quotes/[quoteId]/document", get);
