import type { CustomerQuoteView } from "@/lib/queries/customer-quote-view";
import { refusal, json, unexpectedErrorResponse, withRouteMetrics } from "@/lib/http/route-handler";
import { problemResponse } from "@/lib/http/problem";
import { requestMetadata } from "@/lib/http/request-metadata";
import { message } from "@/lib/cqrs/message";
import { services } from "@/lib/services";

/**
 * The quote as its customer sees it, from the read model; 404 without the right access token.
 * `?minVersion=N` (the version a write just returned) waits for it and otherwise answers `stale: true`.
 */
async function get(request: Request, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  const instance = new URL(request.url).pathname;
  try {
    const metadata = requestMetadata(request, quoteId);
    if (!metadata.ok) return problemResponse(metadata.error, { instance });
    const result = await services().queryBus.execute<CustomerQuoteView>(message("GetQuoteForCustomer", { quoteId, ...minVersionParam(request) }, metadata.value));
    if (!result.ok) return refusal(result.error, instance);
    return json(result.value, { version: result.value.version });
  } catch (error) {
    return unexpectedErrorResponse(error, instance);
  }
}

function minVersionParam(request: Request): { minVersion?: string } {
  const value = new URL(request.url).searchParams.get("minVersion");
  return value === null ? {} : { minVersion: value };
}

export const GET = withRouteMetrics("/api/quotes/[quoteId]", get);
