import { notFound, redirect } from "next/navigation";
import { resumePath } from "@/lib/customer/wizard-steps";
import { loadCustomerQuote } from "@/lib/customer/load-quote";

/** /quote/{id}: the first page still to answer (or the review or outcome page). */
export default async function QuotePage({ params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  const loaded = await loadCustomerQuote(quoteId);
  if (!loaded) notFound();
  redirect(resumePath(quoteId, loaded.view));
}
