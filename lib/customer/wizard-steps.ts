/** The wizard's steps, in order: shared by the server pages (redirects) and the stepper. */
import type { CustomerQuoteView } from "@/lib/queries/customer-quote-view";

export type AnswerPage = "geographicDetails" | "contactDetails" | "familyDetails";
export type StepSlug = "geographic" | "contact" | "family" | "review";

export interface WizardStep {
  slug: StepSlug;
  /** The answers this step captures; the review step has none. */
  page: AnswerPage | null;
  /** Short name in the stepper. */
  label: string;
  /** The page's h1 and document title. */
  title: string;
}

export const WIZARD_STEPS: readonly WizardStep[] = [
  { slug: "geographic", page: "geographicDetails", label: "Where you live", title: "Where do you live?" },
  { slug: "contact", page: "contactDetails", label: "Contact details", title: "How can we contact you?" },
  { slug: "family", page: "familyDetails", label: "Your family", title: "Who do you want to cover?" },
  { slug: "review", page: null, label: "Check your answers", title: "Check your answers" },
];

export const stepBySlug = (slug: StepSlug): WizardStep => WIZARD_STEPS.find((s) => s.slug === slug)!;

export const quotePath = (quoteId: string, slug: StepSlug | "submitted") => `/quote/${quoteId}/${slug}`;

type Answers = Pick<CustomerQuoteView, "status" | AnswerPage>;

/** Where a returning customer lands: the first page without answers, the review page, or the outcome page. */
export function resumePath(quoteId: string, quote: Answers): string {
  if (quote.status !== "draft") return quotePath(quoteId, "submitted");
  const next = WIZARD_STEPS.find((step) => step.page !== null && quote[step.page] === null);
  return quotePath(quoteId, next?.slug ?? "review");
}

/** After saving a page: back to the review page when the customer came from its "Change" link, else onwards. */
export function nextPath(quoteId: string, slug: StepSlug, fromReview: boolean): string {
  if (fromReview) return quotePath(quoteId, "review");
  const index = WIZARD_STEPS.findIndex((s) => s.slug === slug);
  return quotePath(quoteId, WIZARD_STEPS[index + 1]?.slug ?? "review");
}
