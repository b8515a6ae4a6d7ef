"use server";

import type { QuoteVersionResponse } from "@/lib/commands/quote-commands";
import type { Result } from "@/lib/cqrs/app-error";
import { runCustomerCommand } from "@/lib/customer/customer-command";

/** What each page's form sends: the details (checked again by the bus's zod schema), its key and its version. */
export interface SavePageInput {
  quoteId: string;
  details: unknown;
  expectedVersion?: number;
  idempotencyKey?: string;
}

const capture = (type: string) => (input: SavePageInput) =>
  runCustomerCommand<QuoteVersionResponse>(type, { quoteId: input?.quoteId, details: input?.details }, { expectedVersion: input?.expectedVersion, idempotencyKey: input?.idempotencyKey });

export async function saveGeographicDetails(input: SavePageInput): Promise<Result<QuoteVersionResponse>> {
  return capture("CaptureGeographicDetails")(input);
}

export async function saveContactDetails(input: SavePageInput): Promise<Result<QuoteVersionResponse>> {
  return capture("CaptureContactDetails")(input);
}

export async function saveFamilyDetails(input: SavePageInput): Promise<Result<QuoteVersionResponse>> {
  return capture("CaptureFamilyDetails")(input);
}
