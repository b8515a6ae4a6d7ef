/**
 * What the app's HTTP server refuses before Next.js sees a request, because Next would read the body first: Next
 * holds a page request's body (a server action posted by a form) while its proxy runs, and only then applies the
 * action's own limit. API routes stream their bodies and stop at their own limit, so only declared sizes apply there.
 */
export const MAX_DECLARED_BODY_BYTES = 1024 * 1024;

export type EarlyRefusal = { status: 411 | 413; title: string; detail: string } | null;

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function earlyBodyRefusal(request: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> }): EarlyRefusal {
  const declared = request.headers["content-length"];
  if (typeof declared === "string" && Number(declared) > MAX_DECLARED_BODY_BYTES) {
    return { status: 413, title: "Body too large", detail: `The body is larger than ${MAX_DECLARED_BODY_BYTES} bytes.` };
  }
  const isApi = (request.url ?? "/").startsWith("/api/");
  const chunked = declared === undefined && request.headers["transfer-encoding"] !== undefined;
  if (!isApi && chunked && METHODS_WITH_BODY.has((request.method ?? "GET").toUpperCase())) {
    // Browsers send a form's length; only a script streams a body of unknown size at a page.
    return { status: 411, title: "Length required", detail: "Send a Content-Length with a body posted to a page." };
  }
  return null;
}
