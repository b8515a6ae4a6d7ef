import { config } from "@/lib/config";
import { clientAddressOf } from "@/lib/http/client-address";
import { problemResponse } from "@/lib/http/problem";
import { withRouteMetrics } from "@/lib/http/route-handler";
import { exposition } from "@/lib/observability/metrics";
import { mayReadMetrics, METRICS_METHODS } from "@/lib/observability/metrics-access";

export const dynamic = "force-dynamic";

/**
 * This web process's metrics in the Prometheus text format (docs/OPERATIONS.md). A caller on loopback, or with
 * `Authorization: Bearer <METRICS_TOKEN>`; anyone else 401. The client address is the one the app's server decided
 * (x-client-address, from the socket and TRUSTED_PROXIES), so a forged X-Forwarded-For does not make a caller local.
 */
async function get(request: Request) {
  const instance = new URL(request.url).pathname;
  if (!mayReadMetrics({ clientAddress: clientAddressOf(request.headers), authorization: request.headers.get("authorization") }, config().METRICS_TOKEN)) {
    return problemResponse({ kind: "unauthorized", detail: "Metrics are served to loopback, or with Authorization: Bearer <METRICS_TOKEN>." }, { instance, headers: { "www-authenticate": 'Bearer realm="metrics"' } });
  }
  const { body, contentType } = await exposition();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}

const notAllowed = () => new Response(null, { status: 405, headers: { allow: METRICS_METHODS } });

export const GET = withRouteMetrics("/api/metrics", get);
export const OPTIONS = () => new Response(null, { status: 204, headers: { allow: METRICS_METHODS } });
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
