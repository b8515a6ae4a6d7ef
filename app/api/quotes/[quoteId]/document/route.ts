import type { CustomerQuoteView } from "@/lib/queries/customer-quote-view";
import { refusal, unexpectedErrorResponse, withRouteMetrics } from "@/lib/http/route-handler";
import { problemResponse } from "@/lib/http/problem";
import { quoteDocumentResponse } from "@/lib/http/quote-document-response";
import { requestMetadata } from "@/lib/http/request-metadata";
import { message } from "@/lib/cqrs/message";
import { services } from "@/lib/services";

/** The customer's quote as a one-page PDF download; 404 without the right access token (cookie or bearer). */
async function get(request: Request, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  const instance = new URL(request.url).pathname;
  try {
    const metadata = requestMetadata(request, quoteId);
    if (!metadata.ok) return problemResponse(metadata.error, { instance });
    const result = await services().queryBus.execute<CustomerQuoteView>(message("GetQuoteForCustomer", { quoteId }, metadata.value));
    if (!result.ok) return refusal(result.error, instance);
    return await quoteDocumentResponse(result.value);
  } catch (error) {
    return unexpectedErrorResponse(error, instance);
  }
}

export const GET = withRouteMetrics("/api/quotes/[quoteId]/document", get);
