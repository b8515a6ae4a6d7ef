/**
 * What one item of a command batch comes to, from its command's result: done, refused by the quote (reported with
 * the domain's code and message, and the batch goes on), or to be tried again (the platform's trouble, not the
 * quote's). Pure: the worker records the verdict.
 */

/** A refusal as the command bus answers it (lib/cqrs/app-error.ts), as much of it as the verdict needs. */
export interface ItemRefusal {
  kind: string;
  detail: string;
  code?: string;
}

export type ItemResult = { ok: true; value: { status: string; version: number } } | { ok: false; error: ItemRefusal };

export type ItemVerdict =
  | { status: "done"; outcome: string; version: number }
  | { status: "refused"; outcome: string; message: string }
  | { status: "retry"; message: string };

/** Refusals with no code of their own, named as the domain would. */
const CODE_OF_KIND: Record<string, string> = {
  not_found: "QuoteNotFound",
  unauthorized: "NotAnAgent",
  forbidden: "NotAllowed",
  validation: "InvalidCommand",
  precondition_failed: "QuoteChanged",
  unprocessable: "Unprocessable",
};

export function itemVerdict(result: ItemResult): ItemVerdict {
  if (result.ok) return { status: "done", outcome: result.value.status, version: result.value.version };
  const { error } = result;
  // A write lost a race with another three times, or the database was away: nothing about the quote says no.
  if (error.kind === "unavailable" || (error.kind === "conflict" && (error.code === "VersionConflict" || error.code === "IdempotencyReplay"))) {
    return { status: "retry", message: error.detail };
  }
  return { status: "refused", outcome: error.code ?? CODE_OF_KIND[error.kind] ?? error.kind, message: error.detail };
}
