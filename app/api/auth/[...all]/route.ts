import { withRouteMetrics } from "@/lib/http/route-handler";
import { handleAuthRequest } from "@/lib/auth/auth-route";

/** Better Auth's endpoints: POST /api/auth/sign-in/email, POST /api/auth/sign-out, GET /api/auth/get-session, … */
const handler = (request: Request) => handleAuthRequest(request);

export const GET = withRouteMetrics("/api/auth/[...all]", handler);
export const POST = withRouteMetrics("/api/auth/[...all]", handler);
