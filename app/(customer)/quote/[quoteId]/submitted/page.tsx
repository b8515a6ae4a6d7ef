import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { quotePath } from "@/lib/customer/wizard-steps";
import { QuoteDocumentLink } from "@/components/quote-document-link";
import { SubmittedStatus } from "@/components/wizard/submitted-status";
import { WithdrawQuote } from "@/components/wizard/withdraw-quote";
import { ErasePersonalData } from "@/components/wizard/erase-personal-data";
import { ERASE_WORDS, WITHDRAW_WORDS } from "@/lib/customer/confirmed-action-words";
import { loadCustomerQuote } from "@/lib/customer/load-quote";

export const metadata: Metadata = { title: "Your quote" };

export default async function SubmittedPage({ params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  const quote = await loadCustomerQuote(quoteId);
  if (!quote) notFound();
  if (quote.status === "draft" && !quote.personalDataErased) redirect(quotePath(quoteId, "review"));
  return (
    <>
      <SubmittedStatus initialQuote={quote} />
      {/* The access cookie goes with the request, so the link carries no token. */}
      <QuoteDocumentLink href={`/api/quotes/${encodeURIComponent(quoteId)}/document`}>Download your quote (PDF)</QuoteDocumentLink>
      <WithdrawQuote initialQuote={quote} words={WITHDRAW_WORDS} />
      <ErasePersonalData initialQuote={quote} words={ERASE_WORDS} />
    </>
  );
}
