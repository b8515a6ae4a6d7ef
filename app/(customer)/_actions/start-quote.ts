"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { StartQuoteResponse } from "@/lib/commands/start-quote";
import { accessCookieName, accessCookieOptions, LAST_QUOTE_COOKIE, versionCookieName, versionCookieOptions } from "@/lib/customer/cookies";
import { clientAddressOf } from "@/lib/http/client-address";
import { createLogger } from "@/lib/logging/logger";
import { message } from "@/lib/cqrs/message";
import { services } from "@/lib/services";

export interface StartQuoteState {
  error: string | null;
}

const log = createLogger("customer-actions");

/**
 * "Get a quote": starts a quote, keeps its access token in an httpOnly cookie (the browser never sees it in
 * script) and goes to the first page. No idempotency key: the response carries the access token, and an
 * idempotency record would keep it in plain text; the button is disabled while this runs instead.
 */
export async function startQuoteAction(): Promise<StartQuoteState> {
  let started: StartQuoteResponse;
  try {
    const result = await services().commandBus.execute<StartQuoteResponse>(message("StartQuote", {}, { actor: { kind: "customer" }, clientAddress: clientAddressOf(await headers()) }));
    if (!result.ok) return { error: result.error.detail };
    started = result.value;
  } catch (error) {
    log.error({ err: error }, "StartQuote failed unexpectedly");
    return { error: "We couldn't start your quote just now. Please try again in a moment." };
  }
  const jar = await cookies();
  jar.set(accessCookieName(started.quoteId), started.accessToken, await accessCookieOptions());
  jar.set(versionCookieName(started.quoteId), String(started.version), await versionCookieOptions());
  jar.set(LAST_QUOTE_COOKIE, started.quoteId, await accessCookieOptions());
  redirect(`/quote/${started.quoteId}/geographic`);
}
