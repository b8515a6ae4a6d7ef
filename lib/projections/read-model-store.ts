import "server-only";
import type { Prisma } from "../generated/prisma/client";
import type { QuoteState } from "../domain/quote";
import type { FunnelStep } from "../queries/contracts";
import type { ProjectedEvent, QuoteReadModel, TimelineEntry } from "./quote-read-model";
import { table } from "./generations";

type Tx = Prisma.TransactionClient;

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

/**
 * Writes the details and summary rows of every changed quote: one INSERT … ON CONFLICT per table for the whole
 * batch (arrays unnested in Postgres), not two upserts per quote.
 */
export async function saveReadModels(tx: Tx, schema: string, models: QuoteReadModel[]): Promise<void> {
  if (!models.length) return;
  const rows = models.map(({ state, ...model }) => ({
    quoteId: state.quoteId!,
    version: state.version,
    status: state.status,
    geographic: jsonText(state.geographicDetails),
    contact: jsonText(state.contactDetails),
    family: jsonText(state.familyDetails),
    premium: jsonText(state.premium),
    validUntil: state.validUntil,
    applicationNumber: state.applicationNumber,
    applicationNumberStatus: state.applicationNumber ? "assigned" : state.applicationNumberFailed ? "failed" : "pending",
    applicationNumberFailure: model.applicationNumberFailure,
    decision: jsonText(state.decision),
    reachedSteps: `{${model.reachedSteps.join(",")}}`,
    createdAt: model.createdAt,
    updatedAt: model.updatedAt,
    submittedAt: model.submittedAt,
    email: state.contactDetails?.email ?? null,
    phoneNumber: state.contactDetails?.phoneNumber ?? null,
    names: [state.familyDetails?.spouseName, ...(state.familyDetails?.childrenNames ?? [])].filter(Boolean).join(" "),
    country: state.geographicDetails?.country ?? null,
    region: state.geographicDetails?.state ?? null,
    city: state.geographicDetails?.city ?? null,
    monthlyPremium: state.premium?.monthly ?? null,
    currency: state.premium?.currency ?? null,
  }));
  const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((row) => row[key]);
  await tx.$executeRaw`
    INSERT INTO ${table(schema, "quote_details")} (quote_id, version, status, geographic_details, contact_details, family_details, premium, valid_until,
      application_number, application_number_status, application_number_failure, decision, reached_steps, created_at, updated_at)
    SELECT quote_id, version, status, geographic::jsonb, contact::jsonb, family::jsonb, premium::jsonb, valid_until,
      application_number, application_number_status, application_number_failure, decision::jsonb, reached_steps::text[], created_at, updated_at
    FROM unnest(${column("quoteId")}::uuid[], ${column("version")}::int[], ${column("status")}::text[], ${column("geographic")}::text[],
      ${column("contact")}::text[], ${column("family")}::text[], ${column("premium")}::text[], ${column("validUntil")}::text[],
      ${column("applicationNumber")}::text[], ${column("applicationNumberStatus")}::text[], ${column("applicationNumberFailure")}::text[],
      ${column("decision")}::text[], ${column("reachedSteps")}::text[], ${column("createdAt")}::timestamptz[], ${column("updatedAt")}::timestamptz[])
      AS r(quote_id, version, status, geographic, contact, family, premium, valid_until, application_number, application_number_status,
           application_number_failure, decision, reached_steps, created_at, updated_at)
    ON CONFLICT (quote_id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status,
      geographic_details = EXCLUDED.geographic_details, contact_details = EXCLUDED.contact_details, family_details = EXCLUDED.family_details,
      premium = EXCLUDED.premium, valid_until = EXCLUDED.valid_until, application_number = EXCLUDED.application_number,
      application_number_status = EXCLUDED.application_number_status, application_number_failure = EXCLUDED.application_number_failure,
      decision = EXCLUDED.decision, reached_steps = EXCLUDED.reached_steps, updated_at = EXCLUDED.updated_at`;
  await tx.$executeRaw`
    INSERT INTO ${table(schema, "quote_summaries")} (quote_id, status, email, phone_number, names, country, region, city, application_number,
      monthly_premium, currency, version, created_at, updated_at, submitted_at)
    SELECT * FROM unnest(${column("quoteId")}::uuid[], ${column("status")}::text[], ${column("email")}::text[], ${column("phoneNumber")}::text[],
      ${column("names")}::text[], ${column("country")}::text[], ${column("region")}::text[], ${column("city")}::text[], ${column("applicationNumber")}::text[],
      ${column("monthlyPremium")}::numeric[], ${column("currency")}::text[], ${column("version")}::int[], ${column("createdAt")}::timestamptz[],
      ${column("updatedAt")}::timestamptz[], ${column("submittedAt")}::timestamptz[])
    ON CONFLICT (quote_id) DO UPDATE SET status = EXCLUDED.status, email = EXCLUDED.email, phone_number = EXCLUDED.phone_number,
      names = EXCLUDED.names, country = EXCLUDED.country, region = EXCLUDED.region, city = EXCLUDED.city,
      application_number = EXCLUDED.application_number, monthly_premium = EXCLUDED.monthly_premium, currency = EXCLUDED.currency,
      version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
      submitted_at = COALESCE(EXCLUDED.submitted_at, ${table(schema, "quote_summaries")}.submitted_at)`;
}

const jsonText = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

export async function saveTimeline(tx: Tx, schema: string, entries: TimelineEntry[]): Promise<void> {
  if (!entries.length) return;
  await tx.$executeRaw`
    INSERT INTO ${table(schema, "quote_timeline")} (event_id, quote_id, version, type, occurred_at, actor, summary)
    SELECT event_id, quote_id, version, type, occurred_at, actor::jsonb, summary
    FROM unnest(${entries.map((e) => e.eventId)}::uuid[], ${entries.map((e) => e.quoteId)}::uuid[], ${entries.map((e) => e.version)}::int[],
      ${entries.map((e) => e.type)}::text[], ${entries.map((e) => e.occurredAt)}::timestamptz[], ${entries.map((e) => JSON.stringify(e.actor))}::text[],
      ${entries.map((e) => e.summary)}::text[]) AS r(event_id, quote_id, version, type, occurred_at, actor, summary)
    ON CONFLICT DO NOTHING`;
}

export async function addFunnelCounts(tx: Tx, schema: string, counts: Map<string, number>): Promise<void> {
  for (const [key, count] of counts) {
    const [day, step] = key.split("|") as [string, string];
    await tx.$executeRaw`
      INSERT INTO ${table(schema, "funnel_counts")} (day, step, count) VALUES (${day}::date, ${step}, ${count})
      ON CONFLICT (day, step) DO UPDATE SET count = ${table(schema, "funnel_counts")}.count + EXCLUDED.count`;
  }
}

/** Writes what the events of some quotes did (each quote's events in order): final read models, timeline, funnel. */
export async function saveProjectedEvents(tx: Tx, schema: string, quotes: ProjectedEvent[][]): Promise<void> {
  const nonEmpty = quotes.filter((events) => events.length > 0);
  const events = nonEmpty.flat();
  const funnel = new Map<string, number>();
  for (const { timelineEntry, reached } of events) {
    for (const step of reached) {
      const key = `${timelineEntry.occurredAt.slice(0, 10)}|${step}`;
      funnel.set(key, (funnel.get(key) ?? 0) + 1);
    }
  }
  await saveReadModels(tx, schema, nonEmpty.map((quote) => quote[quote.length - 1]!.model));
  await saveTimeline(tx, schema, events.map((event) => event.timelineEntry));
  await addFunnelCounts(tx, schema, funnel);
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
