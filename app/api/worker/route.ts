import { message } from "@/lib/cqrs/message";
import { json, refusal, withRouteMetrics } from "@/lib/http/route-handler";
import { services } from "@/lib/services";
import type { WorkerStatus } from "@/lib/worker/worker-status";
import { withWorkerAccess } from "@/lib/worker/worker-route-access";

export const dynamic = "force-dynamic";

/**
 * The worker's status: lag per partition, last applied position, relay backlog and leader, running workers, and the
 * parked messages (counts, and the most recent ones with their reason).
 */
function get(request: Request) {
  return withWorkerAccess(request, async (actor) => {
    const result = await services().queryBus.execute<WorkerStatus>(message("GetWorkerStatus", {}, { actor }));
    return result.ok ? json(result.value) : refusal(result.error, new URL(request.url).pathname);
  });
}

export const GET = withRouteMetrics("/api/worker", get);
