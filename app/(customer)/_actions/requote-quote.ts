"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { RequoteResponse } from "@/lib/commands/requote-quote";
import { runCustomerCommand } from "@/lib/customer/customer-command";
import { accessCookieName, accessCookieOptions, LAST_QUOTE_COOKIE, versionCookieName, versionCookieOptions } from "@/lib/customer/cookies";
import { quotePath } from "@/lib/customer/wizard-steps";

export interface RequoteFormState {
  /** Why the new quote was not started, in words for the page. */
  refusal: string | null;
}

/**
 * "Start a new quote with these answers" on an expired quote, a form post with or without JavaScript: the new quote's
 * token goes into its httpOnly cookie (never the URL), then its review page, where the customer checks and submits.
 * No idempotency key, as for starting a quote: its record would keep the new token; the button is disabled while
 * this runs instead.
 */
export async function requoteQuoteForm(_previous: RequoteFormState, formData: FormData): Promise<RequoteFormState> {
  const quoteId = formData.get("quoteId");
  const result = await runCustomerCommand<RequoteResponse>("RequoteQuote", { quoteId: typeof quoteId === "string" ? quoteId : "" });
  if (!result.ok) return { refusal: result.error.detail };
  const { quoteId: newQuoteId, accessToken, version } = result.value;
  const jar = await cookies();
  jar.set(accessCookieName(newQuoteId), accessToken, await accessCookieOptions());
  jar.set(versionCookieName(newQuoteId), String(version), await versionCookieOptions());
  jar.set(LAST_QUOTE_COOKIE, newQuoteId, await accessCookieOptions());
  redirect(quotePath(newQuoteId, "review"));
}
