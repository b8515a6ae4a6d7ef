import "server-only";
import type { QuoteAnswers } from "../domain/quote";
/** Errors are data: every refusal a command or query can meet, with what the HTTP API answers for it. */
export interface FieldError {
  path: string;
  message: string;
}

export type AppError =
  | { kind: "validation"; detail: string; errors: FieldError[] }
  | { kind: "unauthorized"; detail: string }
  | { kind: "forbidden"; detail: string }
  | { kind: "not_found"; detail: string }
  | { kind: "conflict"; detail: string; code: string; currentVersion?: number }
  /** A stale If-Match whose basis changed since: `latest` is what the sender is shown instead. */
  | { kind: "precondition_failed"; detail: string; currentVersion: number; latest: QuoteAnswers }
  | { kind: "domain"; detail: string; code: string; missing?: string[] }
  | { kind: "unavailable"; detail: string }
  /** A reused idempotency key with a different request, or a request the server understood but will not run. */
  | { kind: "unprocessable"; detail: string; code: string }
  | { kind: "payload_too_large"; detail: string; limitBytes: number }
  | { kind: "too_many_requests"; detail: string; retryAfterSeconds: number };

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: AppError): Result<T> => ({ ok: false, error });

export const HTTP_STATUS: Record<AppError["kind"], number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  domain: 409,
  unavailable: 503,
  unprocessable: 422,
  payload_too_large: 413,
  too_many_requests: 429,
};

export const TITLES: Record<AppError["kind"], string> = {
  validation: "Invalid input",
  unauthorized: "Sign-in required",
  forbidden: "Not allowed",
  not_found: "Not found",
  conflict: "Conflict",
  precondition_failed: "Precondition failed",
  domain: "Not possible now",
  unavailable: "Service unavailable",
  unprocessable: "Unprocessable request",
  payload_too_large: "Body too large",
  too_many_requests: "Too many requests",
};

/** zod issues → field errors with dotted paths ("details.zipCode", "childrenNames.1"). */
export function fieldErrorsFrom(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix = ""): FieldError[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
}
