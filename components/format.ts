/** How money and dates are written to the customer. */
import type { Currency, PremiumLine } from "@/lib/domain/quote/premium";

const LOCALE_BY_CURRENCY: Record<Currency, string> = { USD: "en-US", CAD: "en-CA", GBP: "en-GB" };

export function formatMoney(amount: number, currency: Currency): string {
  return new Intl.NumberFormat(LOCALE_BY_CURRENCY[currency] ?? "en-US", { style: "currency", currency }).format(amount);
}

/** "2026-08-12" → "12 August 2026" (the date is a calendar day, so it is formatted in UTC). */
export function formatDate(isoDay: string): string {
  const date = new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDay;
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
}

/** One breakdown line's effect on the monthly total, in words a customer reads. */
export function formatLineValue(line: PremiumLine, currency: Currency): string {
  switch (line.kind) {
    case "base":
      return `${formatMoney(line.value, currency)} a month`;
    case "factor":
      return `× ${line.value.toLocaleString("en-US", { maximumFractionDigits: 4 })}`;
    case "amount":
      return `${line.value < 0 ? "−" : "+"} ${formatMoney(Math.abs(line.value), currency)} a month`;
  }
}
