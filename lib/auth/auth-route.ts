import "server-only";
import { AUTH_BASE_PATH, getAuth, type Auth } from "./auth";

type Endpoint = { path?: string; options?: { method?: string | string[]; metadata?: { SERVER_ONLY?: boolean } } };

/** The methods Better Auth serves at this path of its own ("/sign-in/email"); none when it has no such endpoint. */
function methodsAt(auth: Auth, path: string): string[] {
  return (Object.values(auth.api) as Endpoint[])
    .filter((endpoint) => endpoint.path === path && !endpoint.options?.metadata?.SERVER_ONLY)
    .flatMap((endpoint) => endpoint.options?.method ?? [])
    .flat();
}

/**
 * Better Auth's endpoints (/api/auth/*). Better Auth answers a method an endpoint does not take with 404, as if the
 * path were unknown; here that is 405 with the methods it does take, as everywhere else in the API.
 */
export async function handleAuthRequest(request: Request, auth: Auth = getAuth()): Promise<Response> {
  const response = await auth.handler(request);
  if (response.status !== 404) return response;
  const pathname = new URL(request.url).pathname;
  const allowed = pathname.startsWith(`${AUTH_BASE_PATH}/`) ? methodsAt(auth, pathname.slice(AUTH_BASE_PATH.length)) : [];
  if (allowed.length === 0 || allowed.includes("*") || allowed.includes(request.method)) return response;
  return new Response(null, { status: 405, headers: { allow: allowed.join(", ") } });
}
