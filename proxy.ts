import { NextResponse, type NextRequest } from "next/server";
import { newNonce, securityHeaders, servedOverHttps } from "@/lib/http/security-headers";

/**
 * Security headers on every page, with a fresh CSP nonce per request. API routes and scripted server-action calls
 * do not come through here (next.config.js gives them their headers): Next holds a proxied request's body before
 * routing it, and their bodies must be refused at the route's own limit as they stream in.
 */
export function proxy(request: NextRequest) {
  const headers = securityHeaders({
    nonce: newNonce(),
    https: servedOverHttps({ publicOrigin: process.env.BETTER_AUTH_URL, forwardedProto: request.headers.get("x-forwarded-proto") }),
    development: process.env.NODE_ENV === "development",
  });
  // Next.js takes the nonce for its scripts from the policy on the request it renders.
  const forwarded = new Headers(request.headers);
  forwarded.set("content-security-policy", headers["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Build output with content-hashed names, the API and scripted server actions: next.config.js's headers() covers them.
  matcher: [{ source: "/((?!api/|_next/static/|_next/image).*)", missing: [{ type: "header", key: "next-action" }] }],
};
