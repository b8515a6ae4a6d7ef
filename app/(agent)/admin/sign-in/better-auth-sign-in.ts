/**
 * A sign-in posted to a server action (the form without JavaScript), sent on through Better Auth's own HTTP handler
 * rather than its API functions, so that everything the endpoint does for the browser's direct request still happens:
 * the per-address rate limit above all, keyed on the same client address the direct request would carry.
 */
import { cookies, headers } from "next/headers";
import { parseSetCookieHeader, toCookieOptions } from "better-auth/cookies";
import { AUTH_BASE_PATH, getAuth } from "@/lib/auth/auth";
import { authBaseUrl } from "@/lib/auth/settings";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";

/**
 * The request headers that say who is signing in (the client address the app's server decided: the rate limit's
 * key) and with what (the session's user agent).
 */
const FORWARDED_HEADERS = [CLIENT_ADDRESS_HEADER, "user-agent"] as const;

export async function signInThroughBetterAuth(credentials: { email: string; password: string }): Promise<Response> {
  const incoming = await headers();
  // Better Auth's own origin is one it trusts; the browser's Origin was already checked by Next.js for the action.
  const origin = authBaseUrl();
  const forwarded = new Headers({ "content-type": "application/json", origin });
  for (const name of FORWARDED_HEADERS) {
    const value = incoming.get(name);
    if (value) forwarded.set(name, value);
  }
  return getAuth().handler(new Request(`${origin}${AUTH_BASE_PATH}/sign-in/email`, { method: "POST", headers: forwarded, body: JSON.stringify(credentials) }));
}

/** The session cookies Better Auth set on its answer, set on the server action's response instead. */
export async function keepSessionCookies(answer: Response): Promise<void> {
  const jar = await cookies();
  for (const header of answer.headers.getSetCookie()) {
    for (const [name, attributes] of parseSetCookieHeader(header)) {
      const { sameSite, ...options } = toCookieOptions(attributes);
      jar.set(name, attributes.value, { ...options, sameSite: sameSite as "lax" | "strict" | "none" | undefined });
    }
  }
}
