import { quoteView } from "@/lib/agent/queries";
import { withAgent } from "@/lib/auth/agent-route";
import { problemResponse } from "@/lib/http/problem";
import { json, refusal, withRouteMetrics } from "@/lib/http/route-handler";

/** GET /api/admin/quotes/{quoteId}[?minVersion=n]: every page, the premium, the decision and the timeline. */
async function get(request: Request, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  return withAgent(request, async (session, instance) => {
    const raw = new URL(request.url).searchParams.get("minVersion");
    const minVersion = raw === null ? undefined : Number(raw);
    if (minVersion !== undefined && !(Number.isInteger(minVersion) && minVersion >= 0)) {
      return problemResponse({ kind: "validation", detail: "minVersion must be a whole number.", errors: [{ path: "minVersion", message: "Expected a whole number, like 5" }] }, { instance });
    }
    const result = await quoteView(session, quoteId, minVersion);
    if (!result.ok) return refusal(result.error, instance);
    return json(result.value, { version: result.value.version });
  });
}

export const GET = withRouteMetrics("/api/admin/quotes/[quoteId]", get);
