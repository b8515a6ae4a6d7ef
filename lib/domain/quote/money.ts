/** How money is written, wherever it is shown. */
import type { Currency } from "./premium";

const LOCALE_BY_CURRENCY: Record<Currency, string> = { USD: "en-US", CAD: "en-CA", GBP: "en-GB" };

/**
 * In the currency's home style ("$1,234.50" for a Canadian's own quote). `sideBySide` is for pages that list
 * quotes in several currencies (agents' lists, the timeline): dollars then name their country ("CA$1,234.50").
 */
export function formatMoney(amount: number, currency: string, options: { sideBySide?: boolean } = {}): string {
  const locale = options.sideBySide ? "en" : (LOCALE_BY_CURRENCY[currency as Currency] ?? "en");
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount);
}
