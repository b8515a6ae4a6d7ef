// The ways one attempt at the application-number service can fail, and which of them are worth retrying.
import "server-only";
import { isTaskCancelledError } from "cockatiel";

/** Worth another attempt: the service was unreachable, overloaded or failing (network error, 5xx, 429). */
export class TransientServiceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "TransientServiceError";
  }
}

/** The service refused this request (a 4xx other than 429): the same request will be refused again. */
export class RejectedRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "RejectedRequestError";
  }
}

/** The service answered with success but the body is not what the contract promises. */
export class MalformedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedResponseError";
  }
}

/** What the retry and the circuit breaker handle: network errors, 5xx, 429, and per-attempt timeouts. */
export function isTransient(error: unknown): boolean {
  // cockatiel's aggressive timeout rejects with a TaskCancelledError ("Operation timed out after N ms").
  return error instanceof TransientServiceError || isTaskCancelledError(error);
}

export const isTransientStatus = (status: number) => status >= 500 || status === 429;

/** A one-line description of a failed attempt, for results and logs. */
export function describeFailure(error: unknown): string {
  if (isTaskCancelledError(error)) return (error as Error).message.replace(/^Operation timed out/, "timed out");
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The most useful text from a fetch() rejection: "connect ECONNREFUSED 127.0.0.1:4232" rather than "fetch failed". */
export function networkErrorMessage(error: unknown): string {
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  if (cause instanceof AggregateError && cause.errors[0] instanceof Error) cause = cause.errors[0];
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return cause.message || code || cause.name;
  }
  return String(cause);
}
