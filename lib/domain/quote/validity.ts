/** How long a submitted premium is offered, by default. */
export const QUOTE_VALIDITY_DAYS = 30;

/**
 * How long a submitted premium is offered: whole days (the quote lasts to the end of its last day, UTC), or an
 * exact number of seconds from submission (for short-lived quotes, e.g. in end-to-end tests).
 */
export type QuoteValidity = { days: number } | { seconds: number };

export const DEFAULT_QUOTE_VALIDITY: QuoteValidity = Object.freeze({ days: QUOTE_VALIDITY_DAYS });

const MS_PER_DAY = 24 * 60 * 60 * 1000;

/** The UTC calendar date ("YYYY-MM-DD") `days` after `now`. */
export function validUntil(now: Date, days: number = QUOTE_VALIDITY_DAYS): string {
  return new Date(now.getTime() + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The moment a quote valid until the end of `validUntil` (a UTC date) expires: midnight UTC after it. */
export function endOfValidity(validUntilDate: string): string {
  return new Date(Date.parse(`${validUntilDate}T00:00:00.000Z`) + MS_PER_DAY).toISOString();
}

/** The last day offered and the exact moment of expiry of a quote submitted at `now`. */
export function validityOf(now: Date, validity: QuoteValidity): { validUntil: string; expiresAt: string } {
  if ("days" in validity) {
    const lastDay = validUntil(now, validity.days);
    return { validUntil: lastDay, expiresAt: endOfValidity(lastDay) };
  }
  const expiresAt = new Date(now.getTime() + validity.seconds * 1000);
  return { validUntil: expiresAt.toISOString().slice(0, 10), expiresAt: expiresAt.toISOString() };
}
