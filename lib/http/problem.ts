import "server-only";
import { HTTP_STATUS, TITLES, type AppError } from "../cqrs/app-error";

/** An RFC 9457 problem+json response for an AppError. */
export function problemResponse(error: AppError, init: { instance?: string; headers?: HeadersInit } = {}): Response {
  const status = HTTP_STATUS[error.kind];
  const { kind, detail, ...extensions } = error;
  const body = { type: `https://quoting.example/problems/${kind.replaceAll("_", "-")}`, title: TITLES[kind], status, detail, ...(init.instance ? { instance: init.instance } : {}), ...extensions };
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/problem+json");
  headers.set("cache-control", "no-store");
  if (error.kind === "too_many_requests") headers.set("retry-after", String(error.retryAfterSeconds));
  return new Response(JSON.stringify(body), { status, headers });
}
