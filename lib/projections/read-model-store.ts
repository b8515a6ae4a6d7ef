import "server-only";
import { Prisma } from "../generated/prisma/client";
import type { FunnelStep } from "../queries/contracts";
import type { ProjectedEvent, QuoteReadModel, TimelineEntry } from "./quote-read-model";
import { DEFAULT_GENERATION, table } from "./generations";
import { quoteStateOf, type QuoteDetailsRow } from "./quote-details-row";
import { ERASED_SUMMARIES } from "./timeline-summary";

type Tx = Prisma.TransactionClient;

type DetailsRow = QuoteDetailsRow & { reachedSteps: string[] };

const toReadModel = (row: DetailsRow): QuoteReadModel => ({
  state: quoteStateOf(row),
  applicationNumberFailure: row.applicationNumberFailure,
  reachedSteps: row.reachedSteps as FunnelStep[],
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  submittedAt: null,
  referredAt: null,
});

/** The read models of these quotes as they stand (absent quotes have none yet). */
export async function loadReadModels(tx: Tx, quoteIds: string[]): Promise<Map<string, QuoteReadModel>> {
  const rows = await tx.quoteDetails.findMany({ where: { quoteId: { in: quoteIds } } });
  return new Map(rows.map((row) => [row.quoteId, toReadModel(row as DetailsRow)]));
}

/**
 * What a batch needs to know of its quotes before it applies anything, in one statement: their read models, and
 * which of them have parked (or held) messages, behind which their later messages must wait.
 */
export async function loadQuotes(tx: Tx, schema: string, quoteIds: string[]): Promise<{ models: Map<string, QuoteReadModel>; blocked: Set<string> }> {
  if (!quoteIds.length) return { models: new Map(), blocked: new Set() };
  const rows = await tx.$queryRaw<Array<{ requested: string; blocked: boolean } & ({ quoteId: null } | DetailsRow)>>`
    SELECT q.id AS requested,
           EXISTS (SELECT 1 FROM ${table(schema, "projection_dead_letters")} l WHERE l.quote_id = q.id) AS blocked,
           d.quote_id::text AS "quoteId", d.version, d.status, d.geographic_details AS "geographicDetails", d.contact_details AS "contactDetails",
           d.family_details AS "familyDetails", d.premium, d.valid_until AS "validUntil", d.expires_at AS "expiresAt", d.underwriting, d.application_number AS "applicationNumber",
           d.application_number_status AS "applicationNumberStatus", d.application_number_failure AS "applicationNumberFailure", d.decision,
           d.personal_data_erased AS "personalDataErased", d.assigned_to AS "assignedTo",
           d.reached_steps AS "reachedSteps", d.created_at AS "createdAt", d.updated_at AS "updatedAt"
    FROM unnest(${quoteIds}::text[]) AS q(id)
    LEFT JOIN ${table(schema, "quote_details")} d ON d.quote_id = q.id::uuid`;
  const models = new Map<string, QuoteReadModel>();
  const blocked = new Set<string>();
  for (const row of rows) {
    if (row.blocked) blocked.add(row.requested);
    if (row.quoteId !== null) models.set(row.quoteId, toReadModel(row));
  }
  return { models, blocked };
}

/**
 * Writes the details and summary rows of every changed quote: one INSERT … ON CONFLICT per table for the whole
 * batch (arrays unnested in Postgres), not two upserts per quote.
 */
export async function saveReadModels(tx: Tx, schema: string, models: QuoteReadModel[]): Promise<void> {
  if (!models.length) return;
  const [details, summaries] = readModelWrites(schema, models);
  await tx.$executeRaw`${details}`;
  await tx.$executeRaw`${summaries}`;
}

/** The two upserts of `saveReadModels`, as statements to run alone or inside a WITH. */
function readModelWrites(schema: string, models: QuoteReadModel[]): [Prisma.Sql, Prisma.Sql] {
  const rows = models.map(({ state, ...model }) => ({
    quoteId: state.quoteId!,
    version: state.version,
    status: state.status,
    geographic: jsonText(state.geographicDetails),
    contact: jsonText(state.contactDetails),
    family: jsonText(state.familyDetails),
    premium: jsonText(state.premium),
    validUntil: state.validUntil,
    expiresAt: state.expiresAt,
    underwriting: jsonText(state.underwriting),
    applicationNumber: state.applicationNumber,
    applicationNumberStatus: state.applicationNumber ? "assigned" : state.applicationNumberFailed ? "failed" : "pending",
    applicationNumberFailure: model.applicationNumberFailure,
    decision: jsonText(state.decision),
    personalDataErased: state.personalDataErased,
    assignedTo: state.assignedTo,
    reachedSteps: `{${model.reachedSteps.join(",")}}`,
    createdAt: model.createdAt,
    updatedAt: model.updatedAt,
    submittedAt: model.submittedAt,
    referredAt: model.referredAt,
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
  const details = Prisma.sql`
    INSERT INTO ${table(schema, "quote_details")} (quote_id, version, status, geographic_details, contact_details, family_details, premium, valid_until,
      expires_at, underwriting, application_number, application_number_status, application_number_failure, decision, personal_data_erased, assigned_to, reached_steps, created_at, updated_at)
    SELECT quote_id, version, status, geographic::jsonb, contact::jsonb, family::jsonb, premium::jsonb, valid_until,
      expires_at, underwriting::jsonb, application_number, application_number_status, application_number_failure, decision::jsonb, personal_data_erased, assigned_to, reached_steps::text[], created_at, updated_at
    FROM unnest(${column("quoteId")}::uuid[], ${column("version")}::int[], ${column("status")}::text[], ${column("geographic")}::text[],
      ${column("contact")}::text[], ${column("family")}::text[], ${column("premium")}::text[], ${column("validUntil")}::text[],
      ${column("expiresAt")}::text[], ${column("underwriting")}::text[], ${column("applicationNumber")}::text[], ${column("applicationNumberStatus")}::text[], ${column("applicationNumberFailure")}::text[],
      ${column("decision")}::text[], ${column("personalDataErased")}::boolean[], ${column("assignedTo")}::text[], ${column("reachedSteps")}::text[], ${column("createdAt")}::timestamptz[], ${column("updatedAt")}::timestamptz[])
      AS r(quote_id, version, status, geographic, contact, family, premium, valid_until, expires_at, underwriting, application_number, application_number_status,
           application_number_failure, decision, personal_data_erased, assigned_to, reached_steps, created_at, updated_at)
    ON CONFLICT (quote_id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status,
      geographic_details = EXCLUDED.geographic_details, contact_details = EXCLUDED.contact_details, family_details = EXCLUDED.family_details,
      premium = EXCLUDED.premium, valid_until = EXCLUDED.valid_until, expires_at = EXCLUDED.expires_at, underwriting = EXCLUDED.underwriting,
      application_number = EXCLUDED.application_number,
      application_number_status = EXCLUDED.application_number_status, application_number_failure = EXCLUDED.application_number_failure,
      decision = EXCLUDED.decision, personal_data_erased = EXCLUDED.personal_data_erased, assigned_to = EXCLUDED.assigned_to, reached_steps = EXCLUDED.reached_steps, updated_at = EXCLUDED.updated_at`;
  const summaries = Prisma.sql`
    INSERT INTO ${table(schema, "quote_summaries")} (quote_id, status, email, phone_number, names, country, region, city, application_number,
      monthly_premium, currency, version, created_at, updated_at, submitted_at, assigned_to, referred_at)
    SELECT * FROM unnest(${column("quoteId")}::uuid[], ${column("status")}::text[], ${column("email")}::text[], ${column("phoneNumber")}::text[],
      ${column("names")}::text[], ${column("country")}::text[], ${column("region")}::text[], ${column("city")}::text[], ${column("applicationNumber")}::text[],
      ${column("monthlyPremium")}::numeric[], ${column("currency")}::text[], ${column("version")}::int[], ${column("createdAt")}::timestamptz[],
      ${column("updatedAt")}::timestamptz[], ${column("submittedAt")}::timestamptz[], ${column("assignedTo")}::text[], ${column("referredAt")}::timestamptz[])
    ON CONFLICT (quote_id) DO UPDATE SET status = EXCLUDED.status, email = EXCLUDED.email, phone_number = EXCLUDED.phone_number,
      names = EXCLUDED.names, country = EXCLUDED.country, region = EXCLUDED.region, city = EXCLUDED.city,
      application_number = EXCLUDED.application_number, monthly_premium = EXCLUDED.monthly_premium, currency = EXCLUDED.currency,
      version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
      submitted_at = COALESCE(EXCLUDED.submitted_at, ${table(schema, "quote_summaries")}.submitted_at),
      assigned_to = EXCLUDED.assigned_to, referred_at = COALESCE(EXCLUDED.referred_at, ${table(schema, "quote_summaries")}.referred_at)`;
  return [details, summaries];
}

const jsonText = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

export async function saveTimeline(tx: Tx, schema: string, entries: TimelineEntry[]): Promise<void> {
  if (!entries.length) return;
  await tx.$executeRaw`${timelineWrite(schema, entries)}`;
}

const timelineWrite = (schema: string, entries: TimelineEntry[]) => Prisma.sql`
    INSERT INTO ${table(schema, "quote_timeline")} (event_id, quote_id, version, type, occurred_at, actor, summary)
    SELECT event_id, quote_id, version, type, occurred_at, actor::jsonb, summary
    FROM unnest(${entries.map((e) => e.eventId)}::uuid[], ${entries.map((e) => e.quoteId)}::uuid[], ${entries.map((e) => e.version)}::int[],
      ${entries.map((e) => e.type)}::text[], ${entries.map((e) => e.occurredAt)}::timestamptz[], ${entries.map((e) => JSON.stringify(e.actor))}::text[],
      ${entries.map((e) => e.summary)}::text[]) AS r(event_id, quote_id, version, type, occurred_at, actor, summary)
    ON CONFLICT DO NOTHING`;

/**
 * Adds to the funnel's (day, step) counters in one statement, rows in (day, step) order: concurrent batches (one per
 * partition) lock the rows they share in the same order, so they wait for each other instead of deadlocking.
 */
export async function addFunnelCounts(tx: Tx, schema: string, counts: Map<string, number>): Promise<void> {
  if (!counts.size) return;
  await tx.$executeRaw`${funnelWrite(schema, counts)}`;
}

function funnelWrite(schema: string, counts: Map<string, number>): Prisma.Sql {
  const rows = [...counts].map(([key, count]) => {
    const [day, step] = key.split("|") as [string, string];
    return { day, step, count };
  });
  rows.sort((a, b) => (a.day === b.day ? (a.step < b.step ? -1 : a.step > b.step ? 1 : 0) : a.day < b.day ? -1 : 1));
  return Prisma.sql`
    INSERT INTO ${table(schema, "funnel_counts")} (day, step, count)
    SELECT day, step, count FROM unnest(${rows.map((r) => r.day)}::date[], ${rows.map((r) => r.step)}::text[], ${rows.map((r) => r.count)}::int[])
      WITH ORDINALITY AS r(day, step, count, n)
    ORDER BY n
    ON CONFLICT (day, step) DO UPDATE SET count = ${table(schema, "funnel_counts")}.count + EXCLUDED.count`;
}

/**
 * Writes what the events of some quotes did (each quote's events in order): final read models, timeline, funnel,
 * all in one statement (each write a data-modifying WITH), so a batch's writes cost one round trip. The tables are
 * distinct, and the only rows two concurrent batches share (the funnel's) are locked in a fixed order.
 */
export async function saveProjectedEvents(tx: Tx, schema: string, quotes: ProjectedEvent[][]): Promise<void> {
  const nonEmpty = quotes.filter((events) => events.length > 0);
  if (!nonEmpty.length) return;
  const events = nonEmpty.flat().map(withErasureApplied(nonEmpty));
  const funnel = new Map<string, number>();
  for (const { timelineEntry, reached } of events) {
    for (const step of reached) {
      const key = `${timelineEntry.occurredAt.slice(0, 10)}|${step}`;
      funnel.set(key, (funnel.get(key) ?? 0) + 1);
    }
  }
  const writes = [...readModelWrites(schema, nonEmpty.map((quote) => quote[quote.length - 1]!.model)), timelineWrite(schema, events.map((event) => event.timelineEntry))];
  if (funnel.size) writes.push(funnelWrite(schema, funnel));
  const erased = erasedQuoteIds(nonEmpty);
  if (erased.length) writes.push(timelineErasure(schema, erased));
  const ctes = Prisma.join(writes.map((write, i) => Prisma.sql`${Prisma.raw(`w${i}`)} AS (${write})`), ", ");
  await tx.$executeRaw`WITH ${ctes} SELECT 1`;
}

const erasedQuoteIds = (quotes: ProjectedEvent[][]) =>
  quotes.filter((events) => events.some((event) => event.timelineEntry.type === "PersonalDataErased")).map((events) => events[0]!.timelineEntry.quoteId);

/** Entries of a quote erased in the same batch say "erased" too: the UPDATE below does not see this batch's rows. */
function withErasureApplied(quotes: ProjectedEvent[][]) {
  const erased = new Set(erasedQuoteIds(quotes));
  return (event: ProjectedEvent): ProjectedEvent => {
    const { timelineEntry } = event;
    const summary = ERASED_SUMMARIES[timelineEntry.type as keyof typeof ERASED_SUMMARIES];
    return erased.has(timelineEntry.quoteId) && summary ? { ...event, timelineEntry: { ...timelineEntry, summary } } : event;
  };
}

/** The timeline's earlier sentences of erased quotes held their personal values: rewritten without them. */
const timelineErasure = (schema: string, quoteIds: string[]) => Prisma.sql`
    UPDATE ${table(schema, "quote_timeline")}
    SET summary = CASE type WHEN 'GeographicDetailsCaptured' THEN ${ERASED_SUMMARIES.GeographicDetailsCaptured}
                            WHEN 'ContactDetailsCaptured' THEN ${ERASED_SUMMARIES.ContactDetailsCaptured}
                            WHEN 'QuoteNoteAdded' THEN ${ERASED_SUMMARIES.QuoteNoteAdded}
                            ELSE ${ERASED_SUMMARIES.FamilyDetailsCaptured} END
    WHERE quote_id = ANY(${quoteIds}::uuid[]) AND type IN ('GeographicDetailsCaptured', 'ContactDetailsCaptured', 'FamilyDetailsCaptured', 'QuoteNoteAdded')`;

/** The checkpoint of a source, locked for this transaction so a concurrent projector waits and then skips. */
export async function lockCheckpoint(tx: Tx, schema: string, source: string): Promise<bigint> {
  return (await lockCheckpoints(tx, schema, [source])).checkpoints.get(source)!;
}

/**
 * The checkpoints of these sources, locked (in source order, so two projectors cannot deadlock) for this transaction,
 * and the live generation's name, in one statement. A source's first batch creates its row first (or finds the one
 * a concurrent projector just created).
 */
export async function lockCheckpoints(tx: Tx, schema: string, sources: string[]): Promise<{ checkpoints: Map<string, bigint>; activeGeneration: string }> {
  const select = () => tx.$queryRaw<{ source: string; position: bigint; active: string | null }[]>`
    SELECT c.source, c.position, (SELECT schema_name FROM public.read_model_generations WHERE active LIMIT 1) AS active
    FROM ${table(schema, "projection_checkpoints")} c WHERE c.source = ANY(${sources}::text[]) ORDER BY c.source FOR UPDATE OF c`;
  let rows = await select();
  if (rows.length < sources.length) {
    await tx.$executeRaw`
      INSERT INTO ${table(schema, "projection_checkpoints")} (source, position, updated_at)
      SELECT source, -1, now() FROM unnest(${sources}::text[]) AS s(source) ORDER BY source ON CONFLICT DO NOTHING`;
    rows = await select();
  }
  return { checkpoints: new Map(rows.map((row) => [row.source, row.position])), activeGeneration: rows[0]?.active ?? DEFAULT_GENERATION };
}

export async function saveCheckpoint(tx: Tx, schema: string, source: string, position: bigint): Promise<void> {
  await saveCheckpoints(tx, schema, new Map([[source, position]]), null);
}

/** Moves the sources' checkpoints and, when `notify` is given, tells read caches which quotes changed (on commit). */
export async function saveCheckpoints(tx: Tx, schema: string, positions: Map<string, bigint>, notify: { channel: string; payload: string } | null): Promise<void> {
  if (!positions.size && !notify) return;
  await tx.$queryRaw`
    WITH moved AS (
      UPDATE ${table(schema, "projection_checkpoints")} c SET position = p.position, updated_at = now()
      FROM unnest(${[...positions.keys()]}::text[], ${[...positions.values()]}::bigint[]) AS p(source, position)
      WHERE c.source = p.source
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM moved)::int AS moved,
           CASE WHEN ${notify !== null}::boolean THEN (SELECT count(*) FROM pg_notify(${notify?.channel ?? ""}, ${notify?.payload ?? ""}))::int ELSE 0 END AS notified`;
}
