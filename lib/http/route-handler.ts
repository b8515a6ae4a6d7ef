import "server-only";
import type { AppError, Result } from "../cqrs/app-error";
import { isDatabaseUnavailable } from "../db/database-failure";
import { createLogger } from "../logging/logger";
import { message } from "../cqrs/message";
import { metrics } from "../observability/metrics";
import { services } from "../services";
import { problemResponse } from "./problem";
import { readJsonBody } from "./read-json-body";
import { requestMetadata } from "./request-metadata";

const log = createLogger("http");

const UNAVAILABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|connect|too many clients|the database system is (starting up|shutting down)|DatabaseNotReachable|P1001|P1017/i;
const isUnavailable = (error: unknown, text: string) => isDatabaseUnavailable(error) || UNAVAILABLE.test(text);

/** Any error that escapes a handler: 503 when a backing service is down, 500 otherwise; never a stack trace. */
export function unexpectedErrorResponse(error: unknown, instance: string): Response {
  const text = error instanceof Error ? `${error.name} ${error.message} ${(error as { code?: string }).code ?? ""}` : String(error);
  if (isUnavailable(error, text)) {
    log.warn({ err: error, instance }, "backing service unavailable");
    return problemResponse({ kind: "unavailable", detail: "The service is briefly unavailable. Nothing was lost; please try again in a moment." }, { instance, headers: { "retry-after": "2" } });
  }
  log.error({ err: error, instance }, "unexpected error");
  return new Response(JSON.stringify({ type: "about:blank", title: "Internal error", status: 500, detail: "Something went wrong on our side. Nothing was changed." }), {
    status: 500,
    headers: { "content-type": "application/problem+json" },
  });
}

export interface CommandRouteOptions<Response> {
  type: string;
  quoteId: string | null;
  /** Builds the command payload from the parsed JSON body (undefined when the route takes no body). */
  payload: (body: unknown) => unknown;
  takesBody: boolean;
  respond: (value: Response) => globalThis.Response;
}

/** HTTP → the same command objects the server actions send → problem+json on any refusal. */
export async function handleCommandRoute<Value>(request: Request, options: CommandRouteOptions<Value>): Promise<Response> {
  const instance = new URL(request.url).pathname;
  try {
    let body: unknown = undefined;
    if (options.takesBody) {
      const parsed = await readJsonBody(request);
      if (!parsed.ok) return problemResponse(parsed.error, { instance });
      body = parsed.value;
    }
    const metadata = requestMetadata(request, options.quoteId);
    if (!metadata.ok) return problemResponse(metadata.error, { instance });
    const result: Result<Value> = await services().commandBus.execute<Value>(message(options.type, options.payload(body), metadata.value));
    if (!result.ok) return refusal(result.error, instance);
    return options.respond(result.value);
  } catch (error) {
    return unexpectedErrorResponse(error, instance);
  }
}

/** A refusal as problem+json; a validation error's paths are relative to the request body. */
export function refusal(error: AppError, instance: string): Response {
  if (error.kind === "validation") {
    const errors = error.errors.map((e) => ({ ...e, path: e.path.replace(/^details\.?/, "") }));
    return problemResponse({ ...error, errors }, { instance });
  }
  const headers: HeadersInit = "currentVersion" in error && error.currentVersion !== undefined ? { etag: `"${error.currentVersion}"` } : {};
  return problemResponse(error, { instance, headers });
}

export const json = (body: unknown, init: ResponseInit & { version?: number } = {}) => {
  const headers = new Headers(init.headers);
  if (init.version !== undefined) headers.set("etag", `"${init.version}"`);
  headers.set("cache-control", "no-store");
  return Response.json(body, { ...init, headers });
};

/** The PUT handler of one wizard page: the body is the page's details, the command captures them. */
export function capturePageRoute(type: "CaptureGeographicDetails" | "CaptureContactDetails" | "CaptureFamilyDetails") {
  return async (request: Request, { params }: { params: Promise<{ quoteId: string }> }) => {
    const { quoteId } = await params;
    return handleCommandRoute<{ quoteId: string; version: number }>(request, {
      type,
      quoteId,
      takesBody: true,
      payload: (details) => ({ quoteId, details }),
      respond: (value) => json(value, { version: value.version }),
    });
  };
}

/**
 * The GET handler of a customer's read of one quote: the access token (cookie or bearer) from the request, the query
 * through the query bus, 404 without the quote's own token, problem+json on any refusal.
 */
export function customerQueryRoute<Value>(options: { type: string; payload?: (request: Request) => Record<string, unknown>; respond: (value: Value, quoteId: string) => Response | Promise<Response> }) {
  return async (request: Request, { params }: { params: Promise<{ quoteId: string }> }) => {
    const { quoteId } = await params;
    const instance = new URL(request.url).pathname;
    try {
      const metadata = requestMetadata(request, quoteId);
      if (!metadata.ok) return problemResponse(metadata.error, { instance });
      const result = await services().queryBus.execute<Value>(message(options.type, { quoteId, ...options.payload?.(request) }, metadata.value));
      if (!result.ok) return refusal(result.error, instance);
      return await options.respond(result.value, quoteId);
    } catch (error) {
      return unexpectedErrorResponse(error, instance);
    }
  };
}

/**
 * Times an API route's handler into quoting_http_request_duration_seconds, labelled with the route's pattern (as in
 * app/api, never the raw path: a quote id per series would have no end), the method and the status answered. A
 * handler that throws counts as 500.
 */
export function withRouteMetrics<Args extends unknown[]>(route: string, handler: (request: Request, ...args: Args) => Response | Promise<Response>) {
  return async (request: Request, ...args: Args): Promise<Response> => {
    const started = performance.now();
    let status = 500;
    try {
      const response = await handler(request, ...args);
      status = response.status;
      return response;
    } finally {
      metrics().httpDuration.observe({ route, method: request.method, status: String(status) }, (performance.now() - started) / 1000);
    }
  };
}
