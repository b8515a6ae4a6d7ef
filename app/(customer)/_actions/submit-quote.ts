"use server";

import { redirect } from "next/navigation";
import type { SubmitQuoteResponse } from "@/lib/commands/quote-commands";
import type { AppError, Result } from "@/lib/cqrs/app-error";
import { runCustomerCommand } from "@/lib/customer/customer-command";
import { rememberSavedVersion } from "@/lib/customer/cookies";
import { formSubmissionKey } from "@/lib/customer/form-submission-key";
import { quotePath } from "@/lib/customer/wizard-steps";
import { readSubmission } from "@/lib/customer/wizard-form-data";

export interface SubmitQuoteInput {
  quoteId: string;
  /** The version of the answers the customer checked on the review page. */
  expectedVersion?: number;
  idempotencyKey?: string;
}

export async function submitQuote(input: SubmitQuoteInput): Promise<Result<SubmitQuoteResponse>> {
  return runCustomerCommand<SubmitQuoteResponse>("SubmitQuote", { quoteId: input?.quoteId }, { expectedVersion: input?.expectedVersion, idempotencyKey: input?.idempotencyKey });
}

/** Why "Submit quote" posted without JavaScript did not submit; null before any post. */
export interface SubmitQuoteFormState {
  /** Someone changed the answers since the review page was loaded: the page now shows the latest ones. */
  conflict: boolean;
  refusal: AppError | null;
}

/** "Submit quote" without JavaScript: the answers checked on the review page, or the page again saying why not. */
export async function submitQuoteForm(_previous: SubmitQuoteFormState, formData: FormData): Promise<SubmitQuoteFormState> {
  const { quoteId, expectedVersion } = readSubmission(formData);
  const outcome = await submitQuote({ quoteId, expectedVersion, idempotencyKey: formSubmissionKey("SubmitQuote", quoteId, expectedVersion) });
  if (!outcome.ok) {
    if (outcome.error.kind === "precondition_failed") return { conflict: true, refusal: null };
    if (outcome.error.kind === "domain" && (outcome.error.code === "QuoteNotDraft" || outcome.error.code === "QuoteCancelled")) redirect(quotePath(quoteId, "submitted"));
    return { conflict: false, refusal: outcome.error };
  }
  await rememberSavedVersion(quoteId, outcome.value.version);
  redirect(quotePath(quoteId, "submitted"));
}
