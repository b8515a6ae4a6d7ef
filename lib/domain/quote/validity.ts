/** How long a submitted premium is offered. */
export const QUOTE_VALIDITY_DAYS = 30;

const MS_PER_DAY = 24 * 60 * 60 * 1000;

/** The UTC calendar date ("YYYY-MM-DD") `QUOTE_VALIDITY_DAYS` after `now`. */
export function validUntil(now: Date, days: number = QUOTE_VALIDITY_DAYS): string {
  return new Date(now.getTime() + days * MS_PER_DAY).toISOString().slice(0, 10);
}
