"use server";

import type { DecisionResponse } from "@/lib/commands/quote-commands";
import type { Result } from "@/lib/cqrs/app-error";
import { runCustomerCommand } from "@/lib/customer/customer-command";
import { confirmedCommandForm, type ConfirmedCommandFormState } from "@/lib/customer/confirmed-command-form";

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

/** "Withdraw this quote" without JavaScript, in two posts (lib/customer/confirmed-command-form.ts). */
export async function withdrawQuoteForm(_previous: ConfirmedCommandFormState, formData: FormData): Promise<ConfirmedCommandFormState> {
  return confirmedCommandForm({ type: "CancelQuote", run: withdrawQuote, alreadyDone: "QuoteCancelled" }, formData);
}
