import "server-only";
import { agentNames } from "@/lib/auth/agents";
import type { AgentSession } from "@/lib/auth/session";
import type { Result } from "@/lib/cqrs/app-error";
import { services } from "@/lib/services";
import type { QuoteListQuery } from "@/schemas/admin";
import { actorLabel, exportQuotes } from "./queries";
import { quotesCsv } from "./quotes-csv";

export interface QuoteExport {
  csv: string;
  /** More quotes matched than an export holds: the file has the first ones, in the list's order. */
  truncated: boolean;
}

/** The quote list's filters and order, every page of it, as CSV with the assigned agents' names. */
export async function exportQuotesCsv(session: AgentSession, query: QuoteListQuery): Promise<Result<QuoteExport>> {
  const result = await exportQuotes(session, query);
  if (!result.ok) return result;
  const names = await agentNames(services().db, result.value.items.flatMap((quote) => (quote.assignedTo ? [quote.assignedTo] : [])));
  return { ok: true, value: { csv: quotesCsv(result.value.items, (agentId) => actorLabel({ kind: "agent", agentId }, names)), truncated: result.value.truncated } };
}
