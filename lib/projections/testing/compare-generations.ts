import type { PrismaClient } from "../../generated/prisma/client";

/** Every read-model row of a generation in a comparable form (ids of rows and checkpoints left out). */
export async function snapshotReadModels(db: PrismaClient, quoteIds?: string[]) {
  const where = quoteIds ? { quoteId: { in: quoteIds } } : {};
  const [details, summaries, timeline, funnel] = await Promise.all([
    db.quoteDetails.findMany({ where, orderBy: { quoteId: "asc" } }),
    db.quoteSummary.findMany({ where, orderBy: { quoteId: "asc" } }),
    db.quoteTimelineEntry.findMany({ where, orderBy: [{ quoteId: "asc" }, { version: "asc" }] }),
    quoteIds ? Promise.resolve([]) : db.funnelCount.findMany({ orderBy: [{ day: "asc" }, { step: "asc" }] }),
  ]);
  return JSON.parse(JSON.stringify({ details, summaries: summaries.map((s) => ({ ...s, monthlyPremium: s.monthlyPremium?.toString() ?? null })), timeline, funnel }, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}
