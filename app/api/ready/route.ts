import { withRouteMetrics } from "@/lib/http/route-handler";
import { checkReadiness, publicReadiness } from "@/lib/health/readiness";
import { hasWorkerAccess } from "@/lib/worker/worker-route-access";

export const dynamic = "force-dynamic";

/**
 * The web tier's readiness: database reachable and migrated, Kafka reachable in Kafka mode; 200, else 503. The worker's
 * health is GET /api/worker's, not this.
 * Anyone gets `{status}`; each check's detail only a signed-in agent or a caller with WORKER_DRAIN_SECRET.
 */
async function get(request: Request) {
  const readiness = await checkReadiness();
  const body = (await hasWorkerAccess(request)) ? readiness : publicReadiness(readiness);
  return Response.json(body, { status: readiness.status === "ready" ? 200 : 503, headers: { "cache-control": "no-store", vary: "authorization, cookie" } });
}

export const GET = withRouteMetrics("/api/ready", get);
