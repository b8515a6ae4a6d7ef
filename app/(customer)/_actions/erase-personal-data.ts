"use server";

import type { ErasureResponse } from "@/lib/commands/quote-commands";
import type { Result } from "@/lib/cqrs/app-error";
import { runCustomerCommand } from "@/lib/customer/customer-command";
import { confirmedCommandForm, type ConfirmedCommandFormState } from "@/lib/customer/confirmed-command-form";
import { CUSTOMER_ERASURE_REASON } from "@/schemas/quote";

export interface ErasePersonalDataInput {
  quoteId: string;
  /** The version the page showed when the customer asked. */
  expectedVersion?: number;
  idempotencyKey?: string;
}

/** "Delete my data" (EraseQuotePersonalData): the quote's data key is destroyed; status, premium and number stay. */
export async function erasePersonalData(input: ErasePersonalDataInput): Promise<Result<ErasureResponse>> {
  return runCustomerCommand<ErasureResponse>(
    "EraseQuotePersonalData",
    { quoteId: input?.quoteId, reason: CUSTOMER_ERASURE_REASON },
    { expectedVersion: input?.expectedVersion, idempotencyKey: input?.idempotencyKey },
  );
}

/** "Delete my data" without JavaScript, in two posts (lib/customer/confirmed-command-form.ts). */
export async function erasePersonalDataForm(_previous: ConfirmedCommandFormState, formData: FormData): Promise<ConfirmedCommandFormState> {
  return confirmedCommandForm({ type: "EraseQuotePersonalData", run: erasePersonalData, alreadyDone: "PersonalDataErased" }, formData);
}
