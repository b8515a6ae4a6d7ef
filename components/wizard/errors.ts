/** Why a save did not happen, as the wizard tells the customer. */
import type { AppError, FieldError } from "@/lib/cqrs/app-error";
import type { QuoteAnswers } from "@/lib/domain/quote";

/** The server answered and refused (validation, conflict, not found, ...). */
export class RefusedError extends Error {
  constructor(readonly error: AppError) {
    super(error.detail);
    this.name = "RefusedError";
  }
}

/** The server could not be reached, or the connection dropped: the outcome is unknown. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super("The server could not be reached", { cause });
    this.name = "NetworkError";
  }
}

/** Someone else (another tab, another device) changed these answers since this form was loaded: the server sent the latest. */
export class ConflictError extends Error {
  constructor(
    readonly version: number,
    readonly latest: QuoteAnswers,
  ) {
    super("The quote changed since these answers were loaded");
    this.name = "ConflictError";
  }
}

/** The server's refusal as the error the wizard handles: a stale If-Match carries the latest answers. */
export const refusalError = (error: AppError): Error => (error.kind === "precondition_failed" ? new ConflictError(error.currentVersion, error.latest) : new RefusedError(error));

/** Calls a server action; a failed request (offline, server down) becomes a NetworkError. */
export async function callServer<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new NetworkError(error);
  }
}

/** False when the save may or may not have happened: a retry must then reuse its idempotency key. */
export function outcomeKnown(error: unknown): boolean {
  if (error instanceof NetworkError) return false;
  if (error instanceof RefusedError && error.error.kind === "unavailable") return false;
  return true;
}

export function validationErrors(error: unknown): FieldError[] | null {
  return error instanceof RefusedError && error.error.kind === "validation" ? error.error.errors : null;
}

export interface ErrorMessage {
  title: string;
  description: string;
}

/** The toast for a failed save. Every case says what happened and what to do; answers are never lost. */
export function describeSaveError(error: unknown): ErrorMessage {
  if (error instanceof ConflictError) {
    return { title: "Your answers were changed in another tab or window", description: "We've loaded the latest answers. Check them, then continue." };
  }
  if (error instanceof NetworkError) {
    return { title: "We couldn't reach our server", description: "Your answers are still here. Check your connection, then try again." };
  }
  if (error instanceof RefusedError) {
    const e = error.error;
    switch (e.kind) {
      case "validation":
        return { title: "Some answers need changing", description: "Check the highlighted answers, then try again." };
      case "unavailable":
        return { title: "We couldn't save your answers", description: `${e.detail} Your answers are still here.` };
      case "not_found":
      case "unauthorized":
      case "forbidden":
        return { title: "We couldn't find this quote", description: "Open it again from your resume link, or start a new quote." };
      case "precondition_failed":
      case "conflict":
        return { title: "Your quote changed while you were saving", description: "We've loaded the latest answers. Check them, then try again." };
      case "domain":
        return { title: "That isn't possible now", description: e.detail };
    }
  }
  return { title: "Something went wrong", description: "Your answers are still here. Please try again." };
}
