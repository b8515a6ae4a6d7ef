import { notFound, redirect } from "next/navigation";
import { resumePath } from "@/lib/customer/wizard-steps";
import { loadCustomerQuote } from "@/lib/customer/load-quote";

/** /quote/{id}: the first page still to answer (or the review or outcome page). */
export default async function QuotePage({ params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  const quote = await loadCustomerQuote(quoteId);
  if (!quote) notFound();
  redirect(resumePath(quoteId, quote));
}
