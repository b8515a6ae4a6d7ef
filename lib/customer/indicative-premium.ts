/**
 * The premium shown on the review page before the quote is submitted. The domain prices a quote when it is
 * submitted (QuoteSubmitted carries the premium); until then the same pure pricing function gives the price the
 * customer will get, and the validity date they will get if they submit today.
 */
import "server-only";
import { priceQuote, validUntil, type Premium } from "../domain/quote";
import type { CustomerQuoteView } from "../queries/customer-quote-view";

export interface PremiumOffer {
  premium: Premium;
  validUntil: string;
  /** True before submission: the price is what submitting now would fix. */
  indicative: boolean;
}

export function premiumOffer(view: CustomerQuoteView, now: Date = new Date()): PremiumOffer | null {
  if (view.premium && view.validUntil) return { premium: view.premium, validUntil: view.validUntil, indicative: false };
  if (!view.geographicDetails || !view.familyDetails) return null;
  return { premium: priceQuote({ geographic: view.geographicDetails, family: view.familyDetails }), validUntil: validUntil(now), indicative: true };
}
