/** The price of a quote, as shown to the customer and stored on QuoteSubmitted. */
export type Currency = "USD" | "CAD" | "GBP";

export type PremiumLineKind = "base" | "factor" | "amount";

/**
 * One line of the breakdown. Lines apply in order to a running monthly total:
 * "base" sets it (value = amount a month), "factor" multiplies it (value = multiplier, e.g. 1.15) and rounds to the
 * cent, half up; "amount" adds to it (value = amount a month). The last running total is `monthly`.
 */
export interface PremiumLine {
  label: string;
  kind: PremiumLineKind;
  value: number;
  description: string;
}

export interface Premium {
  currency: Currency;
  /** Amount a month, two decimals. */
  monthly: number;
  /** Twelve monthly payments, two decimals. */
  annual: number;
  breakdown: PremiumLine[];
}
