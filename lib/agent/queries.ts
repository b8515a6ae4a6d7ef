/** The agents' reads, through the query bus: shared by the admin pages and the agent API. */
import "server-only";
import { agentNames } from "@/lib/auth/agents";
import type { AgentSession } from "@/lib/auth/session";
import type { Result } from "@/lib/cqrs/app-error";
import type { Actor } from "@/lib/domain/quote";
import type { ExportQuotesResult, FunnelResult, ListQuotesResult, QuoteDetailsView, QuoteTimelineResult, TimelineEntryView } from "@/lib/queries/contracts";
import { message } from "@/lib/cqrs/message";
import type { DeadLetterSummary } from "@/lib/projections/parked-messages";
import type { SystemOverview } from "@/lib/queries/get-system-overview";
import { services } from "@/lib/services";
import type { FunnelRange, QuoteListQuery } from "@/schemas/admin";

export interface AdminTimelineEntry extends TimelineEntryView {
  /** Who did it, in words: "Customer", "Dana Smith (dana@example.com)", "System (worker)". */
  actorLabel: string;
}

/** Everything the quote page shows: the details and the timeline, with agents' names. */
export interface AdminQuoteView extends QuoteDetailsView {
  timeline: AdminTimelineEntry[];
  /** The deciding agent's name, when the quote has a decision. */
  decidedBy: string | null;
  /** The assigned agent's name and email, when the quote is in someone's work queue. */
  assignedToLabel: string | null;
}

const metadata = (session: AgentSession) => ({ actor: session.actor });

/** The list's filters as the query takes them: "assigned to me" becomes the signed-in agent's id. */
function listFilters(session: AgentSession, query: QuoteListQuery) {
  const { status, search, assigned, sort, order } = query;
  return { ...(status ? { status } : {}), ...(search ? { search } : {}), ...(assigned === "me" ? { assignedTo: session.actor.agentId } : {}), sort, order };
}

export function listQuotes(session: AgentSession, query: QuoteListQuery): Promise<Result<ListQuotesResult>> {
  const params = { ...listFilters(session, query), page: query.page, pageSize: query.pageSize };
  return services().queryBus.execute<ListQuotesResult>(message("ListQuotes", params, metadata(session)));
}

/** Every quote the list's filters match (its pages aside), in its order, for the CSV export. */
export function exportQuotes(session: AgentSession, query: QuoteListQuery): Promise<Result<ExportQuotesResult>> {
  return services().queryBus.execute<ExportQuotesResult>(message("ExportQuotes", listFilters(session, query), metadata(session)));
}

export function funnel(session: AgentSession, range: FunnelRange): Promise<Result<FunnelResult>> {
  return services().queryBus.execute<FunnelResult>(message("GetFunnel", range, metadata(session)));
}

export function parkedMessages(session: AgentSession): Promise<Result<DeadLetterSummary>> {
  return services().queryBus.execute<DeadLetterSummary>(message("ListParkedMessages", {}, metadata(session)));
}

export function systemOverview(session: AgentSession): Promise<Result<SystemOverview>> {
  return services().queryBus.execute<SystemOverview>(message("GetSystemOverview", {}, metadata(session)));
}

export function actorLabel(actor: Actor, names: Map<string, { name: string; email: string }>): string {
  switch (actor.kind) {
    case "customer":
      return "Customer";
    case "system":
      return `System (${actor.name})`;
    case "agent": {
      const agent = names.get(actor.agentId);
      return agent ? `${agent.name} (${agent.email})` : `Agent ${actor.agentId}`;
    }
  }
}

/** The quote's details alone (no timeline): what its document shows. */
export function quoteDetails(session: AgentSession, quoteId: string): Promise<Result<QuoteDetailsView>> {
  return services().queryBus.execute<QuoteDetailsView>(message("GetQuoteDetails", { quoteId }, metadata(session)));
}

/** Details and timeline together; `minVersion` waits (briefly) for the read model to catch up with a write. */
export async function quoteView(session: AgentSession, quoteId: string, minVersion?: number): Promise<Result<AdminQuoteView>> {
  const { queryBus } = services();
  // One after the other: the details query waits (with minVersion) until the projection has the caller's write, so
  // the timeline read after it includes that write too.
  const details = await queryBus.execute<QuoteDetailsView>(message("GetQuoteDetails", { quoteId, ...(minVersion ? { minVersion } : {}) }, metadata(session)));
  if (!details.ok) return details;
  const timeline = await queryBus.execute<QuoteTimelineResult>(message("GetQuoteTimeline", { quoteId }, metadata(session)));
  if (!timeline.ok) return timeline;
  const agentIds = timeline.value.entries.flatMap((entry) => (entry.actor.kind === "agent" ? [entry.actor.agentId] : []));
  if (details.value.decision) agentIds.push(details.value.decision.agentId);
  if (details.value.assignedTo) agentIds.push(details.value.assignedTo);
  const names = await agentNames(services().db, agentIds);
  return {
    ok: true,
    value: {
      ...details.value,
      timeline: timeline.value.entries.map((entry) => ({ ...entry, actorLabel: actorLabel(entry.actor, names) })),
      decidedBy: details.value.decision ? actorLabel({ kind: "agent", agentId: details.value.decision.agentId }, names) : null,
      assignedToLabel: details.value.assignedTo ? actorLabel({ kind: "agent", agentId: details.value.assignedTo }, names) : null,
    },
  };
}
