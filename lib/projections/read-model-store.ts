import type { Prisma } from "../generated/prisma/client";
import type { QuoteState } from "../domain/quote";
import type { FunnelStep } from "../queries/contracts";
import type { QuoteReadModel, TimelineEntry } from "./quote-read-model";
import { table } from "./generations";

type Tx = Prisma.TransactionClient;
const json = (value: unknown) => (value === null ? undefined : (value as Prisma.InputJsonValue));

/** The read models of these quotes as they stand (absent quotes have none yet). */
export async function loadReadModels(tx: Tx, quoteIds: string[]): Promise<Map<string, QuoteReadModel>> {
  const rows = await tx.quoteDetails.findMany({ where: { quoteId: { in: quoteIds } } });
  return new Map(
    rows.map((row) => [
      row.quoteId,
      {
        state: {
          quoteId: row.quoteId,
          status: row.status as QuoteState["status"],
          geographicDetails: row.geographicDetails as QuoteState["geographicDetails"],
          contactDetails: row.contactDetails as QuoteState["contactDetails"],
          familyDetails: row.familyDetails as QuoteState["familyDetails"],
          premium: row.premium as QuoteState["premium"],
          validUntil: row.validUntil,
          applicationNumber: row.applicationNumber,
          applicationNumberFailed: row.applicationNumberStatus === "failed",
          decision: row.decision as QuoteState["decision"],
          version: row.version,
        },
        applicationNumberFailure: row.applicationNumberFailure,
        reachedSteps: row.reachedSteps as FunnelStep[],
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
        submittedAt: null,
      },
    ]),
  );
}

/** Writes one quote's details and summary rows. */
export async function saveReadModel(tx: Tx, model: QuoteReadModel): Promise<void> {
  const { state } = model;
  const quoteId = state.quoteId!;
  const details = {
    version: state.version,
    status: state.status,
    geographicDetails: json(state.geographicDetails),
    contactDetails: json(state.contactDetails),
    familyDetails: json(state.familyDetails),
    premium: json(state.premium),
    validUntil: state.validUntil,
    applicationNumber: state.applicationNumber,
    applicationNumberStatus: state.applicationNumber ? "assigned" : state.applicationNumberFailed ? "failed" : "pending",
    applicationNumberFailure: model.applicationNumberFailure,
    decision: json(state.decision),
    reachedSteps: model.reachedSteps,
    createdAt: new Date(model.createdAt),
    updatedAt: new Date(model.updatedAt),
  };
  const names = [state.familyDetails?.spouseName, ...(state.familyDetails?.childrenNames ?? [])].filter(Boolean).join(" ");
  const summary = {
    version: state.version,
    status: state.status,
    email: state.contactDetails?.email ?? null,
    phoneNumber: state.contactDetails?.phoneNumber ?? null,
    names,
    country: state.geographicDetails?.country ?? null,
    region: state.geographicDetails?.state ?? null,
    city: state.geographicDetails?.city ?? null,
    applicationNumber: state.applicationNumber,
    monthlyPremium: state.premium?.monthly ?? null,
    currency: state.premium?.currency ?? null,
    createdAt: new Date(model.createdAt),
    updatedAt: new Date(model.updatedAt),
    ...(model.submittedAt ? { submittedAt: new Date(model.submittedAt) } : {}),
  };
  await tx.quoteDetails.upsert({ where: { quoteId }, create: { quoteId, ...details }, update: details });
  await tx.quoteSummary.upsert({ where: { quoteId }, create: { quoteId, ...summary }, update: summary });
}

export async function saveTimeline(tx: Tx, entries: TimelineEntry[]): Promise<void> {
  if (!entries.length) return;
  await tx.quoteTimelineEntry.createMany({
    data: entries.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt), actor: e.actor as Prisma.InputJsonValue })),
    skipDuplicates: true,
  });
}

export async function addFunnelCounts(tx: Tx, schema: string, counts: Map<string, number>): Promise<void> {
  for (const [key, count] of counts) {
    const [day, step] = key.split("|") as [string, string];
    await tx.$executeRaw`
      INSERT INTO ${table(schema, "funnel_counts")} (day, step, count) VALUES (${day}::date, ${step}, ${count})
      ON CONFLICT (day, step) DO UPDATE SET count = ${table(schema, "funnel_counts")}.count + EXCLUDED.count`;
  }
}

/** The checkpoint of a source, locked for this transaction so a concurrent projector waits and then skips. */
export async function lockCheckpoint(tx: Tx, schema: string, source: string): Promise<bigint> {
  await tx.$executeRaw`INSERT INTO ${table(schema, "projection_checkpoints")} (source, position, updated_at) VALUES (${source}, -1, now()) ON CONFLICT DO NOTHING`;
  const rows = await tx.$queryRaw<{ position: bigint }[]>`SELECT position FROM ${table(schema, "projection_checkpoints")} WHERE source = ${source} FOR UPDATE`;
  return rows[0]!.position;
}

export async function saveCheckpoint(tx: Tx, schema: string, source: string, position: bigint): Promise<void> {
  await tx.$executeRaw`UPDATE ${table(schema, "projection_checkpoints")} SET position = ${position}, updated_at = now() WHERE source = ${source}`;
}
