/** How the admin pages write money, dates, statuses and wizard steps. */
import type { QuoteStatus } from "@/lib/domain/quote";
import { formatMoney } from "@/lib/domain/quote/money";
import type { FunnelStep } from "@/lib/queries/contracts";

export function money(amount: number | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined || !currency) return "—";
  return formatMoney(amount, currency, { sideBySide: true });
}

/** "26 Nov 2026, 07:15 UTC": one zone for everyone, so two agents read the same time. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return `${new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "UTC" }).format(date)} UTC`;
}

export const STATUS_LABEL: Record<QuoteStatus, string> = {
  none: "Not started",
  draft: "Draft",
  submitted: "Submitted",
  referred: "Referred",
  approved: "Approved",
  rejected: "Rejected",
  cancelled: "Withdrawn",
  expired: "Expired",
};

export const STEP_LABEL: Record<FunnelStep, string> = {
  started: "Started",
  geographic: "Location details",
  contact: "Contact details",
  family: "Family details",
  submitted: "Submitted",
  expired: "Expired",
  requoted: "Started again",
};

export const DECISION_OUTCOME = { approve: "approved", reject: "rejected", refer: "referred" } as const;

export const DECISION_DONE: Record<keyof typeof DECISION_OUTCOME, string> = {
  approve: "Quote approved",
  reject: "Quote rejected",
  refer: "Quote referred for review",
};

export function percent(part: number, whole: number): string {
  if (whole === 0) return "—";
  return `${Math.round((part / whole) * 100)}%`;
}
