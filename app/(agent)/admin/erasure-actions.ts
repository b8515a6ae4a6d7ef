"use server";

import { formField, notUnderstood, parseQuoteForm, showQuote } from "@/lib/agent/action-form";
import { eraseQuoteAsAgent } from "@/lib/agent/erasure";
import { agentForAction } from "@/lib/auth/server";
import type { AppError } from "@/lib/cqrs/app-error";
import { formSubmissionKey } from "@/lib/customer/form-submission-key";
import { inSpan } from "@/lib/tracing/tracing";

/** What the erase form shows after a refused post: the reason as typed, and why. */
export interface ErasureFormState {
  reason: string;
  error: AppError | null;
}

const NOT_CONFIRMED: AppError = {
  kind: "validation",
  detail: "Confirm the erasure: it cannot be undone.",
  errors: [{ path: "confirm", message: "Tick the box to confirm that the personal data is erased for good" }],
};

/** An agent erases the quote's personal data at the customer's request (with or without JavaScript), after confirming. */
export async function eraseWithForm(_previous: ErasureFormState, formData: FormData): Promise<ErasureFormState> {
  const reason = formField(formData, "reason") ?? "";
  const check = await agentForAction();
  if (!check.ok) return { reason, error: check.error };
  const parsed = parseQuoteForm(formData);
  if (!parsed.success) return { reason, error: notUnderstood(parsed.error) };
  if (formField(formData, "confirm") !== "yes") return { reason, error: NOT_CONFIRMED };
  const { quoteId, version } = parsed.data;
  const idempotencyKey = formSubmissionKey("erase", check.session.actor.agentId, quoteId, version, reason);
  const result = await inSpan("server action EraseQuotePersonalData", { attributes: { "quote.id": quoteId } }, () => eraseQuoteAsAgent(check.session, quoteId, { reason }, { idempotencyKey }));
  if (!result.ok) return { reason, error: result.error };
  return showQuote(check.session, quoteId, result.value.version);
}
