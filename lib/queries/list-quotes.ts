import "server-only";
import { ok } from "../cqrs/app-error";
import type { QueryDefinition } from "../cqrs/bus";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { listQuotesPayloadSchema } from "../../schemas/queries";
import { agentOnly } from "../access/policies";
import type { ExportQuotesParams, ListQuotesParams, ListQuotesResult } from "./contracts";
import { summaryView } from "./quote-views";
import type { ReadCache } from "./read-cache";
import { liveReadModels } from "./read-models";

export function listQuotes(deps: { db: PrismaClient; cache: Pick<ReadCache, "get"> }): QueryDefinition<ListQuotesParams, ListQuotesResult> {
  return {
    type: "ListQuotes",
    schema: listQuotesPayloadSchema,
    authorize: agentOnly,
    async handle({ payload }) {
      const page = payload.page ?? 1;
      const pageSize = payload.pageSize ?? 20;
      const where = quoteListWhere(payload);
      return ok(await deps.cache.get(`list:${JSON.stringify(payload)}`, null, async () => {
        const readModels = await liveReadModels(deps.db);
        const [rows, total] = await Promise.all([
          readModels.quoteSummary.findMany({ where, orderBy: quoteListOrder(payload), skip: (page - 1) * pageSize, take: pageSize }),
          readModels.quoteSummary.count({ where }),
        ]);
        return { items: rows.map(summaryView), total, page, pageSize };
      }));
    },
  };
}

/** The list's filters: status, the assigned agent, and a search over names, email and application number. */
export function quoteListWhere(params: ExportQuotesParams): Prisma.QuoteSummaryWhereInput {
  const search = params.search?.trim();
  return {
    ...(params.status ? { status: params.status } : {}),
    ...(params.assignedTo ? { assignedTo: params.assignedTo } : {}),
    ...(search
      ? {
          OR: [
            { names: { contains: search, mode: "insensitive" } },
            { email: { contains: search, mode: "insensitive" } },
            { applicationNumber: { contains: search, mode: "insensitive" } },
          ],
        }
      : {}),
  };
}

/** The list's order, then the quote id, so pages and exports are stable. */
export function quoteListOrder(params: ExportQuotesParams): Prisma.QuoteSummaryOrderByWithRelationInput[] {
  const field = params.sort ?? "updatedAt";
  const order = params.order ?? "desc";
  // The premium and the referral time can be empty (drafts, quotes never referred): those go last either way.
  const first: Prisma.QuoteSummaryOrderByWithRelationInput =
    field === "monthlyPremium" || field === "referredAt" ? { [field]: { sort: order, nulls: "last" } } : { [field]: order };
  return [first, { quoteId: "asc" }];
}
