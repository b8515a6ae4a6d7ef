import { funnel } from "@/lib/agent/queries";
import { withAgent } from "@/lib/auth/agent-route";
import { fieldErrorsFrom } from "@/lib/cqrs/app-error";
import { problemResponse } from "@/lib/http/problem";
import { json, refusal, withRouteMetrics } from "@/lib/http/route-handler";
import { defaultFunnelRange, funnelRangeSchema } from "@/schemas/admin";

/** GET /api/admin/funnel?from=YYYY-MM-DD&to=YYYY-MM-DD (default: the last 30 days): quotes per wizard step. */
async function get(request: Request) {
  return withAgent(request, async (session, instance) => {
    const params = new URL(request.url).searchParams;
    const range = funnelRangeSchema.safeParse({ ...defaultFunnelRange(), ...Object.fromEntries(params) });
    if (!range.success) return problemResponse({ kind: "validation", detail: "Choose a valid date range.", errors: fieldErrorsFrom(range.error.issues) }, { instance });
    const result = await funnel(session, range.data);
    if (!result.ok) return refusal(result.error, instance);
    return json(result.value);
  });
}

export const GET = withRouteMetrics("/api/admin/funnel", get);
