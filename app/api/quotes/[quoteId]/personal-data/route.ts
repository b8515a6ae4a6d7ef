import type { PersonalDataExport } from "@/lib/queries/export-personal-data";
import { refusal, json, unexpectedErrorResponse, withRouteMetrics } from "@/lib/http/route-handler";
import { problemResponse } from "@/lib/http/problem";
import { requestMetadata } from "@/lib/http/request-metadata";
import { message } from "@/lib/cqrs/message";
import { services } from "@/lib/services";

/** The customer's download of everything held about them for this quote (JSON attachment); 404 without its token. */
async function get(request: Request, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  const instance = new URL(request.url).pathname;
  try {
    const metadata = requestMetadata(request, quoteId);
    if (!metadata.ok) return problemResponse(metadata.error, { instance });
    const result = await services().queryBus.execute<PersonalDataExport>(message("ExportPersonalData", { quoteId }, metadata.value));
    if (!result.ok) return refusal(result.error, instance);
    return json(result.value, { headers: { "content-disposition": `attachment; filename="quote-${quoteId}-personal-data.json"` } });
  } catch (error) {
    return unexpectedErrorResponse(error, instance);
  }
}

export const GET = withRouteMetrics("/api/quotes/[quoteId]/personal-data", get);
