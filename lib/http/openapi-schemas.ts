import "server-only";
import { z } from "zod";
import type { AdminQuoteView } from "../agent/queries";
import type { AppError } from "../cqrs/app-error";
import type { RequoteResponse } from "../commands/requote-quote";
import type { AssignmentResponse, ErasureResponse, DecisionResponse, QuoteVersionResponse, SubmitQuoteResponse } from "../commands/quote-commands";
import type { StartQuoteResponse } from "../commands/start-quote";
import type { CommandAccepted } from "../commands/bulk-decide-quotes";
import { QUOTE_ERROR_CODES, QUOTE_PAGES, type QuoteAnswers } from "../domain/quote";
import type { Readiness } from "../health/readiness";
import type { CustomerQuoteView } from "../queries/customer-quote-view";
import { FUNNEL_STEPS, type CommandBatchView, type FunnelResult, type ListQuotesResult } from "../queries/contracts";
import type { DrainResult } from "../worker/drain";
import type { WorkerStatus } from "../worker/worker-status";
import { COUNTRY_CODES } from "../../schemas/countries";
import { LISTABLE_STATUSES } from "../../schemas/admin";
import { MAX_BODY_BYTES } from "./read-json-body";

/**
 * The bodies the API answers, as zod schemas the OpenAPI document is generated from. Each is checked at compile time
 * against the type its handler returns, so the document cannot drift from the code unnoticed.
 */
export const responseSchemas = z.registry<{ id: string }>();

/** Compiles only when the documented body and the handler's type accept the same values. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agrees = <A, B>(proof: Same<A, B>) => proof;

const quoteId = z.uuid().meta({ description: "The quote's id" });
const version = z.int().min(0).meta({ description: "The quote's version: how many events it has; send it back in If-Match" });
const timestamp = z.iso.datetime();

const quoteStatus = z
  .enum(["none", ...LISTABLE_STATUSES])
  .meta({ description: "none only before a quote has started, so never in an answer about one" })
  .register(responseSchemas, { id: "QuoteStatus" });

const geographicDetails = z
  .object({ country: z.enum(COUNTRY_CODES), state: z.string(), city: z.string(), zipCode: z.string() })
  .meta({ description: "As saved: state and postcode upper case, Canadian and UK postcodes with their one space" })
  .register(responseSchemas, { id: "GeographicDetails" });
const contactDetails = z
  .object({ email: z.string(), phoneNumber: z.string() })
  .meta({ description: "As saved: email lower case" })
  .register(responseSchemas, { id: "ContactDetails" });
const familyDetails = z
  .object({ numberOfDependents: z.int().min(0), spouseName: z.string().optional(), childrenNames: z.array(z.string()) })
  .register(responseSchemas, { id: "FamilyDetails" });
const quoteAnswers = z
  .object({ geographicDetails: geographicDetails.nullable(), contactDetails: contactDetails.nullable(), familyDetails: familyDetails.nullable() })
  .meta({ description: "The customer's answers, one member per wizard page; null until that page is saved" })
  .register(responseSchemas, { id: "QuoteAnswers" });
agrees<z.output<typeof quoteAnswers>, QuoteAnswers>(true);

const premium = z
  .object({
    currency: z.enum(["USD", "CAD", "GBP"]),
    monthly: z.number().meta({ description: "A month, two decimals" }),
    annual: z.number().meta({ description: "Twelve monthly payments, two decimals" }),
    breakdown: z.array(
      z.object({
        label: z.string(),
        kind: z.enum(["base", "factor", "amount"]).meta({ description: "base sets the running monthly total, factor multiplies it, amount adds to it" }),
        value: z.number(),
        description: z.string(),
      }),
    ),
  })
  .register(responseSchemas, { id: "Premium" });

const applicationNumber = z.string().nullable().meta({ description: "APP-YYYY-NNNNNN once the external service assigned one" });
const applicationNumberStatus = z.enum(["pending", "assigned", "failed"]);
const validUntil = z.iso.date().nullable().meta({ description: "The last day the premium holds; set on submit" });
const stale = z.boolean().meta({ description: "true when the read model had not reached minVersion in time: the data is older than that write" });

/** What the customer's and the agent's views of a quote both hold. */
const quoteViewFields = {
  quoteId,
  version,
  status: quoteStatus,
  ...quoteAnswers.shape,
  premium: premium.nullable(),
  validUntil,
  applicationNumber,
  applicationNumberStatus,
  stale,
};

export const customerQuoteView = z
  .object({
    ...quoteViewFields,
    decision: z.object({ outcome: z.string(), reason: z.string().nullable() }).nullable(),
    personalDataErased: z.boolean().meta({ description: 'true once the quote\'s personal data was erased: those answers then read "[erased]"' }),
  })
  .register(responseSchemas, { id: "CustomerQuoteView" });
agrees<z.output<typeof customerQuoteView>, CustomerQuoteView>(true);

const quoteVersion = z.object({ quoteId, version }).register(responseSchemas, { id: "QuoteVersion" });
agrees<z.output<typeof quoteVersion>, QuoteVersionResponse>(true);

export const startedQuote = z
  .object({ quoteId, version, accessToken: z.string().meta({ description: "Send it as `Authorization: Bearer …` on this quote's routes; shown once" }) })
  .register(responseSchemas, { id: "StartedQuote" });
agrees<z.output<typeof startedQuote>, StartQuoteResponse>(true);

const requotedQuote = z
  .object({
    quoteId,
    version,
    accessToken: z.string().meta({ description: "The new quote's token: send it as `Authorization: Bearer …` on its routes; shown once" }),
    requotedFrom: z.string().meta({ description: "The expired quote's id" }),
  })
  .register(responseSchemas, { id: "RequotedQuote" });
agrees<z.output<typeof requotedQuote>, RequoteResponse>(true);

const submittedQuote = z
  .object({
    quoteId,
    version,
    status: z.enum(["submitted", "referred", "approved"]).meta({ description: "referred or approved when the underwriting rules decided at submission" }),
    premium: premium.nullable(),
    validUntil,
  })
  .register(responseSchemas, { id: "SubmittedQuote" });
agrees<z.output<typeof submittedQuote>, SubmitQuoteResponse>(true);

const decisionResult = z
  .object({ quoteId, version, status: quoteStatus })
  .register(responseSchemas, { id: "DecisionResult" });
agrees<z.output<typeof decisionResult>, DecisionResponse>(true);

const erasureResult = z
  .object({ quoteId, version, personalDataErased: z.literal(true) })
  .register(responseSchemas, { id: "ErasureResult" });
agrees<z.output<typeof erasureResult>, ErasureResponse>(true);

const personalDataExport = z
  .looseObject({
    quoteId,
    exportedAt: timestamp,
    personalDataErased: z.boolean(),
    quote: z.looseObject({}).nullable().meta({ description: "The quote as its customer sees it (as GET /api/quotes/{id}, without `stale`); null before it was first projected" }),
    events: z.array(z.looseObject({ type: z.string(), version, occurredAt: timestamp, data: z.looseObject({}), actor: z.looseObject({ kind: z.string() }) })).meta({ description: "Every recorded event of the quote, personal values decrypted (`[erased]` once erased)" }),
  })
  .register(responseSchemas, { id: "PersonalDataExport" });

const assignmentResult = z
  .object({ quoteId, version, assignedTo: z.string().meta({ description: "The id of the agent the quote is assigned to now" }) })
  .register(responseSchemas, { id: "AssignmentResult" });
agrees<z.output<typeof assignmentResult>, AssignmentResponse>(true);

const applicationNumberRequested = z
  .object({ quoteId, version, applicationNumberStatus: z.literal("pending") })
  .register(responseSchemas, { id: "ApplicationNumberRequested" });
agrees<z.output<typeof applicationNumberRequested>, QuoteVersionResponse & { applicationNumberStatus: "pending" }>(true);

const commandId = z.uuid().meta({ description: "The asynchronous command's id" });
const commandAccepted = z
  .object({
    commandId,
    statusUrl: z.string().meta({ description: "Where its progress is: GET /api/admin/commands/{commandId} (also the Location header)" }),
    total: z.int().min(1).meta({ description: "How many quotes it will decide" }),
  })
  .register(responseSchemas, { id: "CommandAccepted" });
agrees<Omit<z.output<typeof commandAccepted>, "statusUrl">, CommandAccepted>(true);

const count = z.int().min(0);
const commandBatch = z
  .object({
    id: commandId,
    type: z.string().meta({ description: "BulkDecideQuotes" }),
    decision: z.string().meta({ description: "approve or refer" }),
    reason: z.string().nullable(),
    requestedBy: z.string().meta({ description: "The id of the agent who asked; the quotes are decided as them" }),
    createdAt: timestamp,
    status: z.enum(["queued", "running", "done"]).meta({ description: "queued until the worker takes a quote; done when none is left waiting" }),
    total: count,
    pending: count,
    done: count.meta({ description: "Quotes decided" }),
    refused: count.meta({ description: "Quotes that could not be decided (already decided, expired, withdrawn, unknown): their own refusal" }),
    failed: count.meta({ description: "Quotes the platform could not decide after several attempts" }),
    items: z.array(
      z.object({
        quoteId,
        applicationNumber,
        status: z.enum(["pending", "done", "refused", "failed"]),
        outcome: z.string().nullable().meta({ description: "done: the quote's status after it (approved, referred); refused: the refusal's code (QuoteAlreadyDecided, QuoteExpired, QuoteNotFound, …)" }),
        message: z.string().nullable().meta({ description: "Why it was refused or failed, in words" }),
        version: version.nullable().meta({ description: "The quote's version after the decision" }),
      }),
    ),
  })
  .register(responseSchemas, { id: "CommandBatch" });
agrees<z.output<typeof commandBatch>, CommandBatchView>(true);

const quoteList = z
  .object({
    items: z.array(
      z.object({
        quoteId,
        status: quoteStatus,
        email: z.string().nullable(),
        names: z.string(),
        country: z.string().nullable(),
        region: z.string().nullable(),
        city: z.string().nullable(),
        applicationNumber,
        monthlyPremium: z.number().nullable(),
        currency: z.string().nullable(),
        version,
        createdAt: timestamp,
        updatedAt: timestamp,
        submittedAt: timestamp.nullable(),
        assignedTo: z.string().nullable().meta({ description: "The id of the agent whose work queue holds the quote" }),
        referredAt: timestamp.nullable().meta({ description: "When the quote was referred, by an agent or the underwriting rules" }),
      }),
    ),
    total: z.int().min(0),
    page: z.int().min(1),
    pageSize: z.int().min(1),
  })
  .register(responseSchemas, { id: "QuoteList" });
agrees<z.output<typeof quoteList>, ListQuotesResult>(true);

const actor = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("customer") }),
    z.object({ kind: z.literal("agent"), agentId: z.string() }),
    z.object({ kind: z.literal("system"), name: z.string() }),
  ])
  .register(responseSchemas, { id: "Actor" });

const adminQuoteView = z
  .object({
    ...quoteViewFields,
    applicationNumberFailure: z.string().nullable(),
    expiresAt: timestamp.nullable().meta({ description: "When the submitted quote expires unless decided first" }),
    underwriting: z
      .discriminatedUnion("outcome", [
        z.object({
          outcome: z.literal("referred"),
          reasons: z.array(z.object({ rule: z.enum(["many-dependents", "referral-region", "premium-over-limit"]), reason: z.string() })),
        }),
        z.object({ outcome: z.literal("approved"), rules: z.array(z.enum(["many-dependents", "referral-region", "premium-over-limit"])) }),
      ])
      .nullable()
      .meta({ description: "What the underwriting rules decided at submission; null when they left the quote to an agent" }),
    decision: z.object({ outcome: z.enum(["approved", "rejected", "referred"]), reason: z.string().nullable(), agentId: z.string() }).nullable(),
    assignedTo: z.string().nullable().meta({ description: "The id of the agent whose work queue holds the quote" }),
    personalDataErased: z.boolean().meta({ description: "The quote's personal data was erased: its personal fields read [erased]" }),
    createdAt: timestamp,
    updatedAt: timestamp,
    timeline: z.array(
      z.object({
        eventId: z.string(),
        version,
        type: z.string(),
        occurredAt: timestamp,
        actor,
        summary: z.string(),
        actorLabel: z.string().meta({ description: "Who did it, in words" }),
      }),
    ),
    decidedBy: z.string().nullable(),
    assignedToLabel: z.string().nullable().meta({ description: "The assigned agent's name and email" }),
  })
  .register(responseSchemas, { id: "AdminQuoteView" });
agrees<z.output<typeof adminQuoteView>, AdminQuoteView>(true);

const funnelCounts = z.record(z.enum(FUNNEL_STEPS), z.int().min(0));
const funnel = z
  .object({ from: z.iso.date(), to: z.iso.date(), days: z.array(z.object({ day: z.iso.date(), counts: funnelCounts })), totals: funnelCounts })
  .register(responseSchemas, { id: "Funnel" });
agrees<z.output<typeof funnel>, FunnelResult>(true);

const parkedMessage = z.object({
  id: z.string(),
  quoteId: z.string(),
  source: z.string(),
  offset: z.string(),
  reason: z.string(),
  parkedAt: timestamp,
  heldBehind: z.int().min(0),
});
const workerStatus = z
  .object({
    mode: z.enum(["kafka", "embedded"]),
    workers: z.array(z.object({ workerId: z.string(), pid: z.int(), mode: z.string(), startedAt: timestamp, lastBeatAt: timestamp, relayLeader: z.boolean() })),
    relayLeader: z.string().nullable(),
    generation: z.string(),
    projection: z.object({ partitions: z.array(z.object({ source: z.string(), appliedPosition: z.string().nullable(), lag: z.int() })), totalLag: z.int() }),
    relayBacklog: z.int().min(0),
    deadLetters: z.object({ parked: z.int().min(0), held: z.int().min(0), recent: z.array(parkedMessage) }),
    scheduledCommandsPending: z.int().min(0).meta({ description: "Scheduled commands due and not yet run (those set for later, such as a quote's expiry, are not counted)" }),
  })
  .register(responseSchemas, { id: "WorkerStatus" });
agrees<z.output<typeof workerStatus>, WorkerStatus>(true);

const drainResult = z
  .object({
    published: z.int().min(0),
    relay: z.enum(["this-drain", "lock-holder", "none"]),
    relayLeader: z.string().nullable(),
    projected: z.int().min(0),
    remainingLag: z.int(),
    remainingBacklog: z.int().min(0),
    seconds: z.number(),
  })
  .register(responseSchemas, { id: "DrainResult" });
agrees<z.output<typeof drainResult>, DrainResult>(true);

const check = z.object({ ok: z.boolean(), detail: z.string() });
const readiness = z
  .object({
    status: z.enum(["ready", "not_ready"]),
    mode: z.enum(["kafka", "embedded"]).optional(),
    checks: z.object({ database: check, migrations: check, kafka: check }).optional(),
  })
  .meta({ description: "`status` for anyone; `mode` and `checks` only for a signed-in agent or the worker secret" })
  .register(responseSchemas, { id: "Readiness" });
agrees<Required<z.output<typeof readiness>>, Readiness>(true);

export const health = z.object({ status: z.literal("ok") }).register(responseSchemas, { id: "Health" });

// ---------------------------------------------------------------------------------------------------------------
// RFC 9457 problems
// ---------------------------------------------------------------------------------------------------------------

const fieldError = z.object({
  path: z.string().meta({ description: "The field's dotted path in the body (`childrenNames.1`; empty for the body itself), a query parameter's name, or `header.If-Match` / `header.Idempotency-Key`" }),
  message: z.string(),
});

/** Every member an AppError adds to the problem besides `kind` and `detail`. */
const extensions = {
  errors: z.array(fieldError).meta({ description: "400: every field with a problem; nothing was saved" }),
  limitBytes: z.int().meta({ description: `413: the largest body accepted (${MAX_BODY_BYTES} bytes)` }),
  retryAfterSeconds: z.int().min(1).meta({ description: "429: how long to wait, as the Retry-After header says" }),
  code: z.string().meta({ description: `409 and 422, for programs: VersionConflict, IdempotencyKeyUsed, IdempotencyReplay, IdempotencyKeyReused, or the quote's own refusal (${QUOTE_ERROR_CODES.join(", ")})` }),
  missing: z.array(z.enum(QUOTE_PAGES)).meta({ description: "409 QuoteIncomplete: the pages still to fill in, in wizard order" }),
  currentVersion: version.meta({ description: "409 VersionConflict and 412: the quote's version now (also the ETag header)" }),
  latest: quoteAnswers.meta({ description: "412: the answers as they are now, to show instead of what the sender saw" }),
};
type AllKeys<T> = T extends unknown ? keyof T : never;
agrees<keyof typeof extensions, Exclude<AllKeys<AppError>, "kind" | "detail">>(true);

const optional = <Shape extends Record<string, z.ZodType>>(shape: Shape) =>
  Object.fromEntries(Object.entries(shape).map(([name, schema]) => [name, schema.optional()])) as { [K in keyof Shape]: z.ZodOptional<Shape[K]> };

const problemMembers = {
  type: z.string().meta({ description: "https://quoting.example/problems/<kind>, or about:blank" }),
  title: z.string(),
  status: z.int().min(400).max(599),
  detail: z.string().meta({ description: "A sentence to show as it is" }),
  instance: z.string().optional().meta({ description: "The request's path" }),
};
/** Any problem: the extension members appear on the statuses their descriptions name. */
export const problem = z.looseObject({ ...problemMembers, ...optional(extensions) }).register(responseSchemas, { id: "Problem" });
const problemWith = (id: string, required: Partial<typeof extensions>) => z.looseObject({ ...problemMembers, ...optional(extensions), ...required }).register(responseSchemas, { id });

export const problems = {
  validation: problemWith("ValidationProblem", { errors: extensions.errors }),
  refused: problemWith("RefusalProblem", { code: extensions.code }),
  preconditionFailed: problemWith("PreconditionFailedProblem", { currentVersion: extensions.currentVersion, latest: extensions.latest }),
  tooManyRequests: problemWith("TooManyRequestsProblem", { retryAfterSeconds: extensions.retryAfterSeconds }),
};

// ---------------------------------------------------------------------------------------------------------------
// Better Auth's answers (its own JSON, not problem+json)
// ---------------------------------------------------------------------------------------------------------------

export const authError = z
  .looseObject({ code: z.string().optional().meta({ description: "e.g. INVALID_EMAIL_OR_PASSWORD, INVALID_ORIGIN" }), message: z.string() })
  .register(responseSchemas, { id: "AuthError" });
const authUser = z.looseObject({ id: z.string(), email: z.string(), name: z.string() });
export const signedIn = z
  .looseObject({ redirect: z.boolean(), token: z.string(), url: z.string().optional(), user: authUser })
  .register(responseSchemas, { id: "SignedIn" });
export const session = z
  .looseObject({ session: z.looseObject({ id: z.string(), userId: z.string(), expiresAt: timestamp }), user: authUser })
  .register(responseSchemas, { id: "Session" });

export const schemas = {
  customerQuoteView,
  quoteVersion,
  startedQuote,
  requotedQuote,
  submittedQuote,
  decisionResult,
  erasureResult,
  assignmentResult,
  personalDataExport,
  applicationNumberRequested,
  commandAccepted,
  commandBatch,
  quoteList,
  adminQuoteView,
  funnel,
  workerStatus,
  drainResult,
  readiness,
  health,
  problem,
  ...problems,
  authError,
  signedIn,
  session,
};
