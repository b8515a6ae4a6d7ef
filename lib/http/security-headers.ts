import "server-only";
/**
 * The security headers every page and API answer carries (set by proxy.ts; static assets get the fixed ones from
 * next.config.js's `headers()`, which must list the same values as FIXED_SECURITY_HEADERS).
 */

export interface SecurityHeaderOptions {
  /** This request's nonce: Next.js reads it back from the policy and puts it on its own scripts. */
  nonce: string;
  /** The browser reached the app over https. */
  https: boolean;
  /** `next dev`: React needs eval there to rebuild server error stacks in the browser. */
  development: boolean;
}

/** The headers whose value never depends on the request. */
export const FIXED_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": [
    "accelerometer=()",
    "camera=()",
    "display-capture=()",
    "geolocation=()",
    "gyroscope=()",
    "magnetometer=()",
    "microphone=()",
    "payment=()",
    "usb=()",
  ].join(", "),
  "X-Frame-Options": "DENY",
};

/** JSON answers load nothing and are never framed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

export function contentSecurityPolicy({ nonce, https, development }: SecurityHeaderOptions): string {
  const directives: string[][] = [
    ["default-src", "'self'"],
    // 'strict-dynamic': the chunks Next's nonced scripts load are trusted in turn; 'self' only matters to old browsers.
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    // sonner appends an un-nonced <style> at run time and React writes style attributes, and a nonce in this list
    // would make browsers ignore 'unsafe-inline'. Styles cannot run script; script-src is what stops injection.
    ["style-src", "'self'", "'unsafe-inline'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
    // Only over https: on a plain-http local run it would send the browser to an https port nobody listens on.
    ...(https ? [["upgrade-insecure-requests"]] : []),
  ];
  return directives.map((directive) => directive.join(" ")).join("; ");
}

/** Every security header for one response. */
export function securityHeaders(options: SecurityHeaderOptions): { "Content-Security-Policy": string } & Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    ...FIXED_SECURITY_HEADERS,
    ...(options.https ? { "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY } : {}),
  };
}

/**
 * Whether the browser is talking https to us: the app's public origin (BETTER_AUTH_URL) is https, or the request
 * says so in `X-Forwarded-Proto`, which the app's server (scripts/next-server.ts) keeps only from a trusted proxy
 * and otherwise Next sets from the socket. An unset or malformed origin counts as plain http here; the auth
 * settings report a malformed one.
 */
export function servedOverHttps({ publicOrigin, forwardedProto }: { publicOrigin: string | undefined; forwardedProto: string | null }): boolean {
  const origin = publicOrigin?.trim();
  if (origin && URL.canParse(origin) && new URL(origin).protocol === "https:") return true;
  return forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https";
}

/** 128 random bits, base64: unguessable, and in the alphabet Next.js accepts in a `'nonce-…'` source. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Buffer.from(bytes).toString("base64");
}
