/**
 * What the app's HTTP server refuses before Next.js sees a request: a method the app does not serve (Next answers
 * TRACE with a 500), and bodies Next would read first: Next
 * holds a page request's body (a server action posted by a form) while its proxy runs, and only then applies the
 * action's own limit. API routes stream their bodies and stop at their own limit, so only declared sizes apply there.
 */
export const MAX_DECLARED_BODY_BYTES = 1024 * 1024;

export type EarlyRefusal = { status: 405 | 411 | 413; title: string; detail: string; allow?: string } | null;

/** The methods the app answers at all; anything else (TRACE, CONNECT, WebDAV verbs…) is refused before Next sees it. */
export const SERVED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function earlyRefusal(request: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> }): EarlyRefusal {
  const method = (request.method ?? "GET").toUpperCase();
  if (!SERVED_METHODS.includes(method)) {
    return { status: 405, title: "Method not allowed", detail: `${method} is not served here.`, allow: SERVED_METHODS.join(", ") };
  }
  const declared = request.headers["content-length"];
  if (typeof declared === "string" && Number(declared) > MAX_DECLARED_BODY_BYTES) {
    return { status: 413, title: "Body too large", detail: `The body is larger than ${MAX_DECLARED_BODY_BYTES} bytes.` };
  }
  const isApi = (request.url ?? "/").startsWith("/api/");
  const chunked = declared === undefined && request.headers["transfer-encoding"] !== undefined;
  if (!isApi && chunked && METHODS_WITH_BODY.has(method)) {
    // Browsers send a form's length; only a script streams a body of unknown size at a page.
    return { status: 411, title: "Length required", detail: "Send a Content-Length with a body posted to a page." };
  }
  return null;
}
