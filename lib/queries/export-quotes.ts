import "server-only";
import { ok } from "../cqrs/app-error";
import type { QueryDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { exportQuotesPayloadSchema } from "../../schemas/queries";
import { agentOnly } from "../access/policies";
import type { ExportQuotesParams, ExportQuotesResult } from "./contracts";
import { quoteListOrder, quoteListWhere } from "./list-quotes";
import { summaryView } from "./quote-views";
import { liveReadModels } from "./read-models";

/** An export holds at most this many quotes: a spreadsheet's worth, read in one go. */
export const EXPORT_LIMIT = 10_000;

/** Every quote the list's filters match, in the list's order (not cached: an export is rare and wants the latest). */
export function exportQuotes(deps: { db: PrismaClient }): QueryDefinition<ExportQuotesParams, ExportQuotesResult> {
  return {
    type: "ExportQuotes",
    schema: exportQuotesPayloadSchema,
    authorize: agentOnly,
    async handle({ payload }) {
      const readModels = await liveReadModels(deps.db);
      const rows = await readModels.quoteSummary.findMany({ where: quoteListWhere(payload), orderBy: quoteListOrder(payload), take: EXPORT_LIMIT + 1 });
      return ok({ items: rows.slice(0, EXPORT_LIMIT).map(summaryView), truncated: rows.length > EXPORT_LIMIT, limit: EXPORT_LIMIT });
    },
  };
}
