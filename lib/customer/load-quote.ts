/**
 * The quote as its customer sees it, for server components: the access token comes from the httpOnly cookie, and
 * the last version this browser wrote (version cookie) is passed as `minVersion` so the page shows that write.
 * Wrapped in React's `cache`, so the layout and the page of one request ask the query bus once.
 */
import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import type { CustomerQuoteView } from "../queries/customer-quote-view";
import { message } from "../cqrs/message";
import { services } from "../services";
import { quoteIdSchema } from "../../schemas/quote-commands";
import { accessCookieName, versionCookieName } from "./cookies";

function parseVersion(value: string | undefined): number | undefined {
  if (!value || !/^\d{1,9}$/.test(value)) return undefined;
  const version = Number(value);
  return version > 0 ? version : undefined;
}

/** Asks the query bus, as the customer holding `accessToken`. Null when the token does not open this quote. */
export async function queryCustomerQuote(quoteId: string, accessToken: string, minVersion?: number): Promise<CustomerQuoteView | null> {
  const payload = minVersion ? { quoteId, minVersion } : { quoteId };
  const result = await services().queryBus.execute<CustomerQuoteView>(message("GetQuoteForCustomer", payload, { actor: { kind: "customer" }, accessToken }));
  if (result.ok) return result.value;
  if (result.error.kind === "not_found" || result.error.kind === "unauthorized" || result.error.kind === "forbidden" || result.error.kind === "validation") return null;
  throw new Error(`GetQuoteForCustomer failed: ${result.error.kind}: ${result.error.detail}`);
}

export const loadCustomerQuote = cache(async (quoteId: string): Promise<CustomerQuoteView | null> => {
  if (!quoteIdSchema.safeParse(quoteId).success) return null;
  const jar = await cookies();
  const accessToken = jar.get(accessCookieName(quoteId))?.value;
  if (!accessToken) return null;
  return queryCustomerQuote(quoteId, accessToken, parseVersion(jar.get(versionCookieName(quoteId))?.value));
});
