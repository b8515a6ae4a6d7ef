"use server";

import type { RetryApplicationNumberOutcome } from "@/lib/commands/retry-application-number";
import type { Result } from "@/lib/cqrs/app-error";
import { runCustomerCommand } from "@/lib/customer/customer-command";

/** "Try again" on the application number, after the last request failed. */
export async function customerRetryApplicationNumberAction(quoteId: string): Promise<Result<RetryApplicationNumberOutcome>> {
  return runCustomerCommand<RetryApplicationNumberOutcome>("RetryApplicationNumber", { quoteId });
}
