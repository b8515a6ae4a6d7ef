"use server";

import type { SubmitQuoteResponse } from "@/lib/commands/quote-commands";
import type { Result } from "@/lib/cqrs/app-error";
import { runCustomerCommand } from "@/lib/customer/customer-command";

export interface SubmitQuoteInput {
  quoteId: string;
  /** The version of the answers the customer checked on the review page. */
  expectedVersion?: number;
  idempotencyKey?: string;
}

export async function submitQuote(input: SubmitQuoteInput): Promise<Result<SubmitQuoteResponse>> {
  return runCustomerCommand<SubmitQuoteResponse>("SubmitQuote", { quoteId: input?.quoteId }, { expectedVersion: input?.expectedVersion, idempotencyKey: input?.idempotencyKey });
}
