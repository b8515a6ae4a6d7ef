import { exportQuotesCsv } from "@/lib/agent/quote-export";
import { withAgent } from "@/lib/auth/agent-route";
import { fieldErrorsFrom } from "@/lib/cqrs/app-error";
import { problemResponse } from "@/lib/http/problem";
import { refusal, withRouteMetrics } from "@/lib/http/route-handler";
import { quoteListQuerySchema } from "@/schemas/admin";

/**
 * GET /api/admin/quotes.csv?status=&search=&assigned=&sort=&order= — every quote the list's filters match, in its
 * order, as a CSV download (the page parameters are accepted and ignored). `X-Export-Truncated: true` when more
 * quotes matched than an export holds.
 */
async function get(request: Request) {
  return withAgent(request, async (session, instance) => {
    const query = quoteListQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) return problemResponse({ kind: "validation", detail: "Some query parameters are not valid.", errors: fieldErrorsFrom(query.error.issues) }, { instance });
    const result = await exportQuotesCsv(session, query.data);
    if (!result.ok) return refusal(result.error, instance);
    const day = new Date().toISOString().slice(0, 10);
    return new Response(result.value.csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8; header=present",
        "content-disposition": `attachment; filename="quotes-${day}.csv"`,
        "cache-control": "no-store",
        "x-export-truncated": String(result.value.truncated),
      },
    });
  });
}

export const GET = withRouteMetrics("/api/admin/quotes.csv", get);
