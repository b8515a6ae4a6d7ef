import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { WizardShell } from "@/components/wizard/wizard-shell";
import { loadCustomerQuote } from "@/lib/customer/load-quote";

/** Every page of one quote: checks this browser's access, then renders the header, stepper and resume link. */
export default async function QuoteLayout({ children, params }: { children: ReactNode; params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  const loaded = await loadCustomerQuote(quoteId);
  if (!loaded) notFound();
  return (
    <WizardShell quoteId={quoteId} initialQuote={loaded.view}>
      {children}
    </WizardShell>
  );
}
