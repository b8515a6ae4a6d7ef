import { notFound, redirect } from "next/navigation";
import { quotePath } from "@/lib/customer/wizard-steps";
import { loadCustomerQuote } from "@/lib/customer/load-quote";

/** A wizard page's quote: 404 without access; once submitted (or its data erased), the pages are closed and the outcome page shows. */
export async function loadDraft(params: Promise<{ quoteId: string }>) {
  const { quoteId } = await params;
  const quote = await loadCustomerQuote(quoteId);
  if (!quote) notFound();
  if (quote.status !== "draft" || quote.personalDataErased) redirect(quotePath(quoteId, "submitted"));
  return { quoteId, quote };
}

export async function cameFromReview(searchParams: Promise<Record<string, string | string[] | undefined>>) {
  return (await searchParams).from === "review";
}
