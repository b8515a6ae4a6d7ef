"use server";

import { redirect } from "next/navigation";
import type { SubmitQuoteResponse } from "@/lib/commands/quote-commands";
import type { AppError, Result } from "@/lib/cqrs/app-error";
import { runCustomerCommand } from "@/lib/customer/customer-command";
import { rememberSavedVersion, runFormCommand } from "@/lib/customer/form-command";
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
  const { quoteId, expectedVersion, loadedAnswers } = readSubmission(formData);
  const outcome = await runFormCommand<SubmitQuoteResponse>("SubmitQuote", { quoteId }, {
    expectedVersion,
    idempotencyKey: formSubmissionKey("SubmitQuote", quoteId, expectedVersion),
    answersOf: (quote) => [quote.geographicDetails, quote.contactDetails, quote.familyDetails],
    loadedAnswers,
  });
  if (outcome.kind === "conflict") return { conflict: true, refusal: null };
  if (outcome.kind === "refused") {
    if (outcome.error.kind === "domain" && outcome.error.code === "QuoteNotDraft") redirect(quotePath(quoteId, "submitted"));
    return { conflict: false, refusal: outcome.error };
  }
  await rememberSavedVersion(quoteId, outcome.value.version);
  redirect(quotePath(quoteId, "submitted"));
}
