import { commandBatch } from "@/lib/agent/bulk-decisions";
import { withAgent } from "@/lib/auth/agent-route";
import { json, refusal, withRouteMetrics } from "@/lib/http/route-handler";

/** GET /api/admin/commands/{commandId} (agents only): an asynchronous command's progress and each quote's outcome. */
async function get(request: Request, { params }: { params: Promise<{ commandId: string }> }): Promise<Response> {
  const { commandId } = await params;
  return withAgent(request, async (session, instance) => {
    const result = await commandBatch(session, commandId);
    if (!result.ok) return refusal(result.error, instance);
    return json(result.value);
  });
}

export const GET = withRouteMetrics("/api/admin/commands/[commandId]", get);
