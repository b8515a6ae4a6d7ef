import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { ReactQueryProvider } from "@/components/react-query-provider";
import { WizardShell } from "@/components/wizard/wizard-shell";
import { loadCustomerQuote } from "@/lib/customer/load-quote";

/**
 * Every page of one quote: checks this browser's access, then renders the header, stepper and resume link, with
 * React Query (the wizard's cached quote and its optimistic saves).
 */
export default async function QuoteLayout({ children, params }: { children: ReactNode; params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  const quote = await loadCustomerQuote(quoteId);
  if (!quote) notFound();
  return (
    <ReactQueryProvider>
      <WizardShell quoteId={quoteId} initialQuote={quote}>
        {children}
      </WizardShell>
    </ReactQueryProvider>
  );
}
