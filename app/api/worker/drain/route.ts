import { message } from "@/lib/cqrs/message";
import { json, refusal, withRouteMetrics } from "@/lib/http/route-handler";
import { services } from "@/lib/services";
import type { DrainResult } from "@/lib/worker/drain";
import { withWorkerAccess } from "@/lib/worker/worker-route-access";

export const dynamic = "force-dynamic";

/** Runs relay and projection until caught up and returns the counts. For agents, or a scheduler with the secret. */
function post(request: Request) {
  return withWorkerAccess(request, async (actor) => {
    const result = await services().commandBus.execute<DrainResult>(message("DrainWorker", {}, { actor }));
    return result.ok ? json(result.value) : refusal(result.error, new URL(request.url).pathname);
  });
}

export const POST = withRouteMetrics("/api/worker/drain", post);
