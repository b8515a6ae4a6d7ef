import { notFound, redirect } from "next/navigation";
import { quotePath } from "@/lib/customer/wizard-steps";
import { loadCustomerQuote } from "@/lib/customer/load-quote";

/** A wizard page's quote: 404 without access; once submitted, the pages are closed and the outcome page shows. */
export async function loadDraft(params: Promise<{ quoteId: string }>) {
  const { quoteId } = await params;
  const loaded = await loadCustomerQuote(quoteId);
  if (!loaded) notFound();
  if (loaded.view.status !== "draft") redirect(quotePath(quoteId, "submitted"));
  return { quoteId, quote: loaded.view };
}

export async function cameFromReview(searchParams: Promise<Record<string, string | string[] | undefined>>) {
  return (await searchParams).from === "review";
}
