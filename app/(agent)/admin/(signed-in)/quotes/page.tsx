import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { QuoteList } from "@/components/admin/quote-list";
import { requireAgentPage } from "@/lib/auth/server";
import { parseQuoteListQueryLeniently, quoteListSearchString } from "@/schemas/admin";
import { listQuotes } from "@/lib/agent/queries";

export const metadata: Metadata = { title: "Quotes" };

export default async function QuotesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = parseQuoteListQueryLeniently(await searchParams);
  const session = await requireAgentPage(`/admin/quotes${quoteListSearchString(query)}`);
  const result = await listQuotes(session, query);
  // The bulk form's Idempotency-Key, new with each page: the same form posted twice queues one command.
  const formKey = randomUUID();
  return (
    <>
      <h1>Quotes</h1>
      <QuoteList query={query} initial={result.ok ? result.value : null} initialProblem={result.ok ? null : result.error.detail} formKey={formKey} />
    </>
  );
}
