"use server";

import { cookies } from "next/headers";
import { fail, ok, type Result } from "@/lib/cqrs/app-error";
import { accessCookieName } from "@/lib/customer/cookies";
import { queryCustomerQuote, type CustomerQuote } from "@/lib/customer/load-quote";
import { createLogger } from "@/lib/logging/logger";
import { quoteIdSchema } from "@/schemas/quote-commands";

const log = createLogger("customer-actions");

/**
 * The quote at `minVersion` or later (read-your-writes), for the wizard after a version conflict: it must compare
 * the customer's answers with the latest ones, not with a projection that has not caught up yet.
 */
export async function readQuote(quoteId: string, minVersion?: number): Promise<Result<CustomerQuote>> {
  if (!quoteIdSchema.safeParse(quoteId).success) return fail({ kind: "not_found", detail: "No such quote." });
  const min = typeof minVersion === "number" && Number.isInteger(minVersion) && minVersion > 0 ? minVersion : undefined;
  try {
    const token = (await cookies()).get(accessCookieName(quoteId))?.value;
    const view = token ? await queryCustomerQuote(quoteId, token, min) : null;
    return view ? ok(view) : fail({ kind: "not_found", detail: "We couldn't find this quote. Check the link, or start a new quote." });
  } catch (error) {
    log.error({ err: error, quoteId }, "reading the quote failed");
    return fail({ kind: "unavailable", detail: "We couldn't load your quote just now. Please try again in a moment." });
  }
}
