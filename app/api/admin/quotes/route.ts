import { listQuotes } from "@/lib/agent/queries";
import { withAgent } from "@/lib/auth/agent-route";
import { fieldErrorsFrom } from "@/lib/cqrs/app-error";
import { problemResponse } from "@/lib/http/problem";
import { json, refusal, withRouteMetrics } from "@/lib/http/route-handler";
import { quoteListQuerySchema } from "@/schemas/admin";

/** GET /api/admin/quotes?status=&search=&sort=&order=&page=&pageSize= — the quote list the admin table shows. */
async function get(request: Request) {
  return withAgent(request, async (session, instance) => {
    const query = quoteListQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) return problemResponse({ kind: "validation", detail: "Some query parameters are not valid.", errors: fieldErrorsFrom(query.error.issues) }, { instance });
    const result = await listQuotes(session, query.data);
    if (!result.ok) return refusal(result.error, instance);
    return json(result.value);
  });
}

export const GET = withRouteMetrics("/api/admin/quotes", get);
