import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { QuoteDetail } from "@/components/admin/quote-detail";
import { requireAgentPage } from "@/lib/auth/server";
import { quoteView } from "@/lib/agent/queries";

export const metadata: Metadata = { title: "Quote" };

export default async function QuotePage({ params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  const session = await requireAgentPage(`/admin/quotes/${encodeURIComponent(quoteId)}`);
  const result = await quoteView(session, quoteId);
  if (!result.ok && (result.error.kind === "not_found" || (result.error.kind === "validation" && result.error.errors.some((e) => e.path === "quoteId")))) notFound();
  if (!result.ok) {
    return (
      <>
        <h1>Quote</h1>
        <div className="alert" role="alert">
          <p>This quote could not be loaded: {result.error.detail}</p>
        </div>
      </>
    );
  }
  return <QuoteDetail initial={result.value} agentId={session.actor.agentId} />;
}
