"use server";

import { redirect } from "next/navigation";
import type { DecisionResponse } from "@/lib/commands/quote-commands";
import type { AppError, Result } from "@/lib/cqrs/app-error";
import { runCustomerCommand } from "@/lib/customer/customer-command";
import { rememberSavedVersion } from "@/lib/customer/cookies";
import { formSubmissionKey } from "@/lib/customer/form-submission-key";
import { quotePath } from "@/lib/customer/wizard-steps";
import { readSubmission } from "@/lib/customer/wizard-form-data";
import { WITHDRAW_INTENT_FIELD, WITHDRAW_INTENTS } from "@/lib/customer/wizard-form-names";

export interface WithdrawQuoteInput {
  quoteId: string;
  /** The version the page showed when the customer asked to withdraw. */
  expectedVersion?: number;
  idempotencyKey?: string;
}

/** The customer withdraws the quote (CancelQuote): a draft, or a submitted quote no agent has approved or rejected. */
export async function withdrawQuote(input: WithdrawQuoteInput): Promise<Result<DecisionResponse>> {
  return runCustomerCommand<DecisionResponse>("CancelQuote", { quoteId: input?.quoteId }, { expectedVersion: input?.expectedVersion, idempotencyKey: input?.idempotencyKey });
}

/** Where "Withdraw this quote" posted without JavaScript stands: asking to confirm, or refused and why. */
export interface WithdrawQuoteFormState {
  confirming: boolean;
  refusal: AppError | null;
}

/**
 * "Withdraw this quote" without JavaScript, in two posts: the first only asks the customer to confirm; the second
 * withdraws and shows the outcome page, or the same page again saying why not. Posting the confirmation twice is
 * one withdrawal (the key comes from the quote and the version the page showed).
 */
export async function withdrawQuoteForm(_previous: WithdrawQuoteFormState, formData: FormData): Promise<WithdrawQuoteFormState> {
  const intent = formData.get(WITHDRAW_INTENT_FIELD);
  if (intent === WITHDRAW_INTENTS.ask) return { confirming: true, refusal: null };
  if (intent !== WITHDRAW_INTENTS.withdraw) return { confirming: false, refusal: null };
  const { quoteId, expectedVersion } = readSubmission(formData);
  const outcome = await withdrawQuote({ quoteId, expectedVersion, idempotencyKey: formSubmissionKey("CancelQuote", quoteId, expectedVersion) });
  if (!outcome.ok) {
    if (outcome.error.kind === "domain" && outcome.error.code === "QuoteCancelled") redirect(quotePath(quoteId, "submitted"));
    return { confirming: false, refusal: outcome.error };
  }
  await rememberSavedVersion(quoteId, outcome.value.version);
  redirect(quotePath(quoteId, "submitted"));
}
