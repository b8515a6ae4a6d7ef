/** How dates are written to the customer. */

/** "2026-08-12" → "12 August 2026" (the date is a calendar day, so it is formatted in UTC). */
export function formatDate(isoDay: string): string {
  const date = new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDay;
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
}
