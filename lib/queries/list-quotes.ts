import "server-only";
import { ok } from "../cqrs/app-error";
import type { QueryDefinition } from "../cqrs/bus";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { listQuotesPayloadSchema } from "../../schemas/queries";
import { agentOnly } from "../access/policies";
import type { ListQuotesParams, ListQuotesResult } from "./contracts";
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
      const search = payload.search?.trim();
      const where: Prisma.QuoteSummaryWhereInput = {
        ...(payload.status ? { status: payload.status } : {}),
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
      return ok(await deps.cache.get(`list:${JSON.stringify(payload)}`, null, async () => {
        const readModels = await liveReadModels(deps.db);
        const [rows, total] = await Promise.all([
          readModels.quoteSummary.findMany({
            where,
            orderBy: [orderBy(payload.sort ?? "updatedAt", payload.order ?? "desc"), { quoteId: "asc" }],
            skip: (page - 1) * pageSize,
            take: pageSize,
          }),
          readModels.quoteSummary.count({ where }),
        ]);
        return { items: rows.map(summaryView), total, page, pageSize };
      }));
    },
  };
}

function orderBy(field: NonNullable<ListQuotesParams["sort"]>, order: "asc" | "desc"): Prisma.QuoteSummaryOrderByWithRelationInput {
  // Only the premium can be empty (drafts): those go last either way.
  return field === "monthlyPremium" ? { monthlyPremium: { sort: order, nulls: "last" } } : { [field]: order };
}
