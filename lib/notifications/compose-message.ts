import "server-only";
/**
 * The customers' emails, as text and HTML. Pure: everything they say comes in `EmailFacts`, read from the quote's
 * events when the email is sent. No email holds the quote's access token or a link carrying it: the link opens the
 * quote's page, where the customer's own cookie lets them in (on another device they ask for a resume link there).
 */
import { formatMoney } from "../domain/quote/money";
import type { DecisionOutcome } from "../domain/quote/state";

export const NOTIFICATION_KINDS = ["submitted", "decided", "withdrawn", "expiring-soon"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export type EmailSubject =
  | { kind: "submitted" }
  | { kind: "decided"; outcome: DecisionOutcome; automatic: boolean }
  | { kind: "withdrawn" }
  | { kind: "expiring-soon" };

export interface EmailFacts {
  /** null while the number has not come (then the email says it will follow). */
  applicationNumber: string | null;
  premium: { monthly: number; currency: string } | null;
  /** The last day the premium is offered, "YYYY-MM-DD" (UTC). */
  validUntil: string | null;
  /** The quote's page, without any token. */
  quoteUrl: string;
}

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}

const PRODUCT = "Family Cover";

/** "31 December 2026": the validity is a UTC calendar date, shown as that date wherever the reader is. */
export function formatValidityDate(date: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${date}T00:00:00.000Z`));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The quote's facts, one line each, in the same order in every email. */
function factLines(facts: EmailFacts, status: string): Array<[string, string]> {
  const lines: Array<[string, string]> = [["Application number", facts.applicationNumber ?? "to follow in a separate email"]];
  if (facts.premium) lines.push(["Monthly premium", `${formatMoney(facts.premium.monthly, facts.premium.currency)} a month`]);
  lines.push(["Status", status]);
  if (facts.validUntil) lines.push(["Offer valid until", formatValidityDate(facts.validUntil)]);
  return lines;
}

interface Copy {
  subject: string;
  status: string;
  paragraphs: string[];
  /** Whether to offer the link to the quote (not after it was withdrawn: there is nothing left to do there). */
  link: boolean;
}

function copyOf(email: EmailSubject, facts: EmailFacts): Copy {
  const reference = facts.applicationNumber ? ` ${facts.applicationNumber}` : "";
  switch (email.kind) {
    case "submitted":
      return {
        subject: `We have your ${PRODUCT} quote${reference}`,
        status: "Submitted",
        paragraphs: [
          `Thank you for asking us to cover your family. We have received your quote and your premium is fixed until the date below.`,
          facts.applicationNumber ? "Please quote your application number whenever you contact us." : "Your application number is on its way: you will find it on your quote's page as soon as it is issued.",
        ],
        link: true,
      };
    case "decided":
      return decisionCopy(email.outcome, email.automatic, reference);
    case "withdrawn":
      return {
        subject: `Your ${PRODUCT} quote${reference} is withdrawn`,
        status: "Withdrawn",
        paragraphs: ["As you asked, we have withdrawn your quote. Nothing more will happen with it.", "You are welcome to start a new quote whenever you like."],
        link: false,
      };
    case "expiring-soon":
      return {
        subject: `Your ${PRODUCT} quote${reference} ends soon`,
        status: "Waiting for a decision",
        paragraphs: ["A reminder: the premium we offered is only held until the date below.", "After that you can still start a new quote with the same answers, at the premium of that day."],
        link: true,
      };
  }
}

function decisionCopy(outcome: DecisionOutcome, automatic: boolean, reference: string): Copy {
  switch (outcome) {
    case "approved":
      return {
        subject: `Good news: your ${PRODUCT} quote${reference} is approved`,
        status: "Approved",
        paragraphs: [
          automatic ? "Your quote met all our underwriting rules, so we approved it straight away." : "One of our underwriters has looked at your quote and approved it.",
          "Your premium below is the one you will pay.",
        ],
        link: true,
      };
    case "rejected":
      return {
        subject: `About your ${PRODUCT} quote${reference}`,
        status: "Not approved",
        paragraphs: ["We are sorry: after looking at your quote carefully we are not able to offer cover this time.", "If you would like to talk it through, reply to this email and we will get back to you."],
        link: true,
      };
    case "referred":
      return {
        subject: `Your ${PRODUCT} quote${reference} is with an underwriter`,
        status: "With an underwriter",
        paragraphs: [
          automatic ? "Your quote needs a closer look than our automatic checks can give, so we have passed it to one of our underwriters." : "One of our team has passed your quote to an underwriter for a closer look.",
          "There is nothing you need to do; we will email you when they have decided.",
        ],
        link: true,
      };
  }
}

export function composeEmail(email: EmailSubject, facts: EmailFacts): ComposedEmail {
  const copy = copyOf(email, facts);
  const lines = factLines(facts, copy.status);
  const text = [
    "Hello,",
    "",
    ...copy.paragraphs.flatMap((p) => [p, ""]),
    ...lines.map(([label, value]) => `${label}: ${value}`),
    "",
    ...(copy.link ? [`See your quote: ${facts.quoteUrl}`, ""] : []),
    `The ${PRODUCT} team`,
    "",
  ].join("\n");
  const html = [
    "<!doctype html>",
    `<html><body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a">`,
    "<p>Hello,</p>",
    ...copy.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<table style="border-collapse: collapse">`,
    ...lines.map(([label, value]) => `<tr><th style="text-align: left; padding: 2px 16px 2px 0">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`),
    "</table>",
    ...(copy.link ? [`<p><a href="${escapeHtml(facts.quoteUrl)}">See your quote</a></p>`] : []),
    `<p>The ${PRODUCT} team</p>`,
    "</body></html>",
  ].join("\n");
  return { subject: copy.subject, text, html };
}
