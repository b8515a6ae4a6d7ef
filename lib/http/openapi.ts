import "server-only";
import { z } from "zod";
import type * as core from "zod/v4/core";
import { MAX_DEPENDENTS, REGIONS_BY_COUNTRY, COUNTRY_CODES, approveQuoteBodySchema, contactDetailsSchema, eraseQuoteBodySchema, familyDetailsSchema, geographicDetailsSchema, referQuoteBodySchema, rejectQuoteBodySchema } from "../../schemas/quote";
import { MAX_PHONE_DIGITS, MIN_PHONE_DIGITS, POSTCODE_PATTERNS } from "../../schemas/quote-rules";
import { AGENT_PASSWORD_MAX_LENGTH, MAX_FUNNEL_DAYS, addQuoteNoteBodySchema, assignQuoteBodySchema, quoteListQuerySchema } from "../../schemas/admin";
import { getQuotePayloadSchema } from "../../schemas/queries";
import { bulkDecisionBodySchema, MAX_BULK_QUOTES } from "../../schemas/bulk-decisions";
import { startQuotePayloadSchema } from "../../schemas/quote-commands";
import { MAX_DECLARED_BODY_BYTES } from "./early-refusal";
import { responseSchemas, schemas } from "./openapi-schemas";
import { MAX_BODY_BYTES } from "./read-json-body";

type JsonSchema = Record<string, unknown>;

/** JSON Schema of what a client sends: the input side of the zod schema the handler parses with. */
function input(schema: core.$ZodType): JsonSchema {
  return withoutDialect(z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema);
}

/** OpenAPI 3.1 gives its schemas their dialect itself. */
function withoutDialect(schema: JsonSchema): JsonSchema {
  const json = { ...schema };
  delete json.$schema;
  delete json.$id;
  return json;
}

/** The response bodies' schemas, each a component that the others and the operations reference. */
function components(): Record<string, JsonSchema> {
  const { schemas: generated } = z.toJSONSchema(responseSchemas, { io: "output", unrepresentable: "any", target: "draft-2020-12", uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(generated).map(([id, schema]) => [id, withoutDialect(schema as JsonSchema)]));
}

const ref = (schema: z.ZodType) => {
  const id = responseSchemas.get(schema)?.id;
  if (!id) throw new Error("an unregistered response schema");
  return { $ref: `#/components/schemas/${id}` };
};

// ---------------------------------------------------------------------------------------------------------------
// What the server checks beyond the zod schemas' own JSON Schema
// ---------------------------------------------------------------------------------------------------------------

/** Something besides whitespace: the server trims text before it checks that it is not empty. */
const NOT_BLANK = "\\S";

/** The state and postcode a country takes, from the same tables and patterns the server checks them with. */
function geographicDetailsBody(): JsonSchema {
  const body = input(geographicDetailsSchema) as { properties: Record<string, JsonSchema> };
  body.properties.city = { ...body.properties.city, pattern: NOT_BLANK };
  body.properties.state = { ...body.properties.state, description: "The region's code in the country (US state, Canadian province or territory, UK nation); case does not matter" };
  body.properties.zipCode = { ...body.properties.zipCode, description: "The country's postcode; case does not matter, and Canadian and UK postcodes may come with or without their space" };
  return {
    ...body,
    allOf: COUNTRY_CODES.map((country) => ({
      if: { properties: { country: { const: country } }, required: ["country"] },
      then: { properties: { state: { enum: REGIONS_BY_COUNTRY[country].map((region) => region.code) }, zipCode: { pattern: POSTCODE_PATTERNS[country].source } } },
    })),
  };
}

/** A leading +, then digits with spaces, brackets or dashes between them. */
const PHONE_NUMBER_PATTERN = `^\\+?[ ()-]*([0-9][ ()-]*){${MIN_PHONE_DIGITS},${MAX_PHONE_DIGITS}}$`;

function contactDetailsBody(): JsonSchema {
  const body = input(contactDetailsSchema) as { properties: Record<string, JsonSchema> };
  body.properties.phoneNumber = { ...body.properties.phoneNumber, pattern: PHONE_NUMBER_PATTERN, description: `${MIN_PHONE_DIGITS} to ${MAX_PHONE_DIGITS} digits, with spaces, brackets or dashes between them and an optional leading +` };
  return body;
}

/** No more children named than dependents counted. */
function familyDetailsBody(): JsonSchema {
  const body = input(familyDetailsSchema) as { properties: { childrenNames: JsonSchema & { items: JsonSchema } } };
  const { childrenNames } = body.properties;
  body.properties.childrenNames = { ...childrenNames, items: { ...childrenNames.items, pattern: NOT_BLANK }, description: "At most numberOfDependents names" };
  return {
    ...body,
    allOf: Array.from({ length: MAX_DEPENDENTS }, (_, dependents) => ({
      if: { properties: { numberOfDependents: { const: dependents } }, required: ["numberOfDependents"] },
      then: { properties: { childrenNames: { maxItems: dependents } } },
    })),
  };
}

/** Each quote once; referring needs a reason with something besides whitespace, as the server checks. */
function bulkDecisionBody(): JsonSchema {
  const body = input(bulkDecisionBodySchema) as { properties: Record<string, JsonSchema> };
  body.properties.quoteIds = { ...body.properties.quoteIds, uniqueItems: true, description: "Each quote once (case does not matter)" };
  return {
    ...body,
    if: { properties: { decision: { const: "refer" } }, required: ["decision"] },
    then: { required: ["reason"], properties: { reason: { ...body.properties.reason, pattern: NOT_BLANK } } },
  };
}

function reasonBody(schema: core.$ZodType): JsonSchema {
  const body = input(schema) as { properties: Record<string, JsonSchema> };
  body.properties.reason = { ...body.properties.reason, pattern: NOT_BLANK };
  return body;
}

// ---------------------------------------------------------------------------------------------------------------
// Parameters, headers and answers
// ---------------------------------------------------------------------------------------------------------------

const quoteIdParam = { name: "quoteId", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const minVersionParam = {
  name: "minVersion",
  in: "query",
  required: false,
  schema: input(getQuotePayloadSchema.shape.minVersion),
  description: "The version a write just returned: the answer waits (about 2 s at most) for the read model to reach it, else says `stale: true`",
};
const ifMatch = {
  name: "If-Match",
  in: "header",
  required: false,
  schema: { type: "string", pattern: '^(W/)?"[0-9]+"$', examples: ['"3"'] },
  description: "The version you last saw, quoted. Newer events that leave what this request is based on unchanged (another page, the application number) do not refuse it; a change to it answers 412",
};
const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  schema: { type: "string", pattern: "^[A-Za-z0-9_.:-]{1,100}$", minLength: 1, maxLength: 100 },
  description: "Your id for this request: a repeat answers as the first did and changes nothing; the same key with another request is 422. Kept for IDEMPOTENCY_TTL_HOURS (24)",
};

const etag = { ETag: { description: "The quote's version, quoted: send it back as If-Match", schema: { type: "string", pattern: '^"[0-9]+"$' } } };
const retryAfter = (required: boolean) => ({ "Retry-After": { required, description: "Seconds to wait before trying again", schema: { type: "string", pattern: "^[0-9]+$" } } });

const json = (schema: JsonSchema | z.ZodType, description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/json": { schema: schema instanceof z.ZodType ? ref(schema) : schema } },
});
/** The quote's one-page PDF, as a download named after its application number (or its id before it has one). */
const quoteDocument = {
  description: "The quote as a one-page PDF: the application number, the answers, the premium and its breakdown, the validity date and any decision",
  headers: {
    "Content-Disposition": { required: true, description: 'attachment; filename="quote-<application number or quote id>.pdf"', schema: { type: "string", pattern: '^attachment; filename="quote-[\\w.-]+\\.pdf"$' } },
    "Cache-Control": { required: true, description: "no-store", schema: { type: "string", const: "no-store" } },
  },
  content: { "application/pdf": { schema: { type: "string", format: "binary" } } },
};
const problemJson = (schema: z.ZodType, description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/problem+json": { schema: ref(schema) } },
});

const PROBLEMS = {
  400: problemJson(schemas.validation, "Invalid input: `errors` names each field (or parameter, or header) and its problem; nothing was done"),
  401: problemJson(schemas.problem, "Not signed in as an agent (or, on the worker routes, without the worker secret)", {
    "WWW-Authenticate": { schema: { type: "string" }, description: 'Cookie realm="agents"' },
  }),
  403: problemJson(schemas.problem, "Signed in, but not as an agent; or a state-changing request from another site's page (Origin)"),
  404: problemJson(schemas.problem, "No such quote, or not for this access token: a stranger learns nothing else"),
  409: problemJson(schemas.refused, "Not possible in the quote's state (`code` says why: QuoteNotDraft, QuoteIncomplete with `missing`, …), or a write at the same moment (VersionConflict, with `currentVersion`)", etag),
  412: problemJson(schemas.preconditionFailed, "What you saw at the If-Match version has changed since: `latest` holds the answers now, and `currentVersion` and the ETag the version", etag),
  413: problemJson(schemas.problem, `The body is larger than ${MAX_BODY_BYTES} bytes (\`limitBytes\`), or declares more than ${MAX_DECLARED_BODY_BYTES} bytes; it was not read and nothing was done`),
  422: problemJson(schemas.refused, "This Idempotency-Key was already used for a different request (IdempotencyKeyReused)"),
  429: problemJson(schemas.tooManyRequests, "Too many quotes started from this client address in the last minute (QUOTE_START_RATE_LIMIT)", retryAfter(true)),
  503: problemJson(schemas.problem, "A backing service is briefly unavailable; nothing was lost, try again", retryAfter(false)),
} as const;
type ProblemStatus = keyof typeof PROBLEMS;
const problems = (...statuses: ProblemStatus[]) => Object.fromEntries(statuses.map((status) => [String(status), PROBLEMS[status]]));

const jsonBody = (schema: JsonSchema, required = true) => ({ required, content: { "application/json": { schema } } });

const customerAuth = [{ quoteBearer: [] }];
const agentAuth = [{ agentSession: [] }];

function capturePage(operationId: string, page: string, body: JsonSchema) {
  return {
    put: {
      operationId,
      tags: ["customers"],
      summary: `Save the ${page} page of a draft quote`,
      description: "Saving a page again replaces its answers. The body is strict: an unknown field is refused.",
      security: customerAuth,
      parameters: [quoteIdParam, ifMatch, idempotencyKey],
      requestBody: jsonBody(body),
      responses: { "200": json(schemas.quoteVersion, "Saved", etag), ...problems(400, 404, 409, 412, 413, 422, 503) },
    },
  };
}

function agentDecision(operationId: string, verb: string, body: JsonSchema, reasonRequired: boolean) {
  return {
    post: {
      operationId,
      tags: ["agents"],
      summary: `${verb} a submitted quote`,
      description: reasonRequired ? "Needs a reason." : "A reason is optional; the body may be left out.",
      security: agentAuth,
      parameters: [quoteIdParam, ifMatch, idempotencyKey],
      requestBody: jsonBody(body, reasonRequired),
      responses: { "200": json(schemas.decisionResult, "Decided", etag), ...problems(400, 401, 403, 404, 409, 412, 413, 422, 503) },
    },
  };
}

const listParameterDescriptions = {
  search: "Part of a name, the email or the application number, any case",
  assigned: "`me`: only the quotes assigned to you",
  sort: "`referredAt` with `status=referred&order=asc` is the referred queue: the longest waiting first",
};

function noteBody(): JsonSchema {
  const body = input(addQuoteNoteBodySchema) as { properties: Record<string, JsonSchema> };
  body.properties.note = { ...body.properties.note, pattern: NOT_BLANK };
  return body;
}

/** Query parameters from the zod object the handler parses them with. */
function queryParameters(schema: core.$ZodType, descriptions: Record<string, string> = {}) {
  const { properties } = input(schema) as { properties: Record<string, JsonSchema> };
  return Object.entries(properties).map(([name, property]) => ({ name, in: "query", required: false, schema: property, ...(descriptions[name] ? { description: descriptions[name] } : {}) }));
}

// Better Auth answers its own JSON errors, and its own rate limit with X-Retry-After.
const authErrors = (...statuses: Array<400 | 401 | 403 | 415>) => ({
  ...Object.fromEntries(
    statuses.map((status) => [
      String(status),
      json(schemas.authError, { 400: "Invalid body (not JSON, or a field missing or of the wrong type) or email address", 401: "Wrong email or password", 403: "Refused: a request with cookies but without this site's Origin (or with another site's)", 415: "Send JSON: Content-Type application/json" }[status]),
    ]),
  ),
  "429": json(schemas.authError, "Too many requests from this client address: sign-in allows 5 a minute, Better Auth's other endpoints 100", {
    "X-Retry-After": { required: true, description: "Seconds to wait", schema: { type: "string", pattern: "^[0-9]+$" } },
  }),
});

/** The OpenAPI 3.1 description of the HTTP API, generated from the same zod schemas the handlers use. */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Quoting platform API",
      version: "1.0.0",
      description:
        "Customers' quote commands and queries, the agents' API and the operators' routes. Errors are RFC 9457 problem+json " +
        "(Better Auth's sign-in routes answer their own JSON). A method a path does not list answers 405, and a request " +
        `declaring a body over ${MAX_DECLARED_BODY_BYTES} bytes answers 413 before it reaches any route.`,
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "customers", description: "A quote, with the access token it started with" },
      { name: "agents", description: "Signed-in agents (Better Auth session cookie)" },
      { name: "operations", description: "Health, readiness, the worker, this document" },
      { name: "auth", description: "Agents' sign-in (Better Auth)" },
    ],
    paths: {
      "/api/quotes": {
        post: {
          operationId: "startQuote",
          tags: ["customers"],
          summary: "Start a quote",
          description:
            "Answers the access token, and sets it as an httpOnly cookie for browsers. The application number is requested in the background. " +
            "A repeat with the same Idempotency-Key gets the first answer only when it carries that answer's token as `Authorization: Bearer` (else 409 IdempotencyKeyUsed).",
          parameters: [idempotencyKey],
          requestBody: jsonBody(input(startQuotePayloadSchema), false),
          responses: {
            "201": json(schemas.startedQuote, "Started", {
              ...etag,
              Location: { description: "The quote's URL", schema: { type: "string" } },
              "Set-Cookie": { description: "quote_access_<quoteId>=<accessToken>; HttpOnly; SameSite=Lax", schema: { type: "string" } },
            }),
            ...problems(400, 409, 413, 422, 429, 503),
          },
        },
      },
      "/api/quotes/{quoteId}": {
        get: {
          operationId: "getQuote",
          tags: ["customers"],
          summary: "The quote as its customer sees it",
          security: customerAuth,
          parameters: [quoteIdParam, minVersionParam],
          responses: { "200": json(schemas.customerQuoteView, "The quote", etag), ...problems(400, 404, 503) },
        },
      },
      "/api/quotes/{quoteId}/document": {
        get: {
          operationId: "getQuoteDocument",
          tags: ["customers"],
          summary: "The quote as a PDF to download",
          description: "Application number (or \"pending\"), answers, monthly premium with its breakdown, validity date and decision, on one page.",
          security: customerAuth,
          parameters: [quoteIdParam],
          responses: { "200": quoteDocument, ...problems(400, 404, 503) },
        },
      },
      "/api/quotes/{quoteId}/geographic-details": capturePage("saveGeographicDetails", "geographic details", geographicDetailsBody()),
      "/api/quotes/{quoteId}/contact-details": capturePage("saveContactDetails", "contact details", contactDetailsBody()),
      "/api/quotes/{quoteId}/family-details": capturePage("saveFamilyDetails", "family details", familyDetailsBody()),
      "/api/quotes/{quoteId}/submit": {
        post: {
          operationId: "submitQuote",
          tags: ["customers"],
          summary: "Submit a complete draft",
          description: "Prices the quote. Takes no body.",
          security: customerAuth,
          parameters: [quoteIdParam, ifMatch, idempotencyKey],
          responses: { "200": json(schemas.submittedQuote, "Submitted, with the premium and its breakdown", etag), ...problems(400, 404, 409, 412, 422, 503) },
        },
      },
      "/api/quotes/{quoteId}/cancel": {
        post: {
          operationId: "withdrawQuote",
          tags: ["customers"],
          summary: "Withdraw a quote",
          description:
            "The customer withdraws a draft, or a submitted quote no agent has approved or rejected yet (a referred one too); its pages can no longer be saved and agents can no longer decide it. " +
            "Takes no body. `status` is then `cancelled`. An approved or rejected quote answers 409 QuoteAlreadyDecided, an already withdrawn one 409 QuoteCancelled.",
          security: customerAuth,
          parameters: [quoteIdParam, ifMatch, idempotencyKey],
          responses: { "200": json(schemas.decisionResult, "Withdrawn", etag), ...problems(400, 404, 409, 412, 422, 503) },
        },
      },
      "/api/quotes/{quoteId}/requote": {
        post: {
          operationId: "requoteQuote",
          tags: ["customers"],
          summary: "Start a new quote with an expired quote's answers",
          description:
            "The expired quote's customer (its token) starts a new quote that already holds the expired quote's answers, to review and submit at today's premium. " +
            "Takes no body. Answers like starting a quote: the new quote's id and access token (also set as an httpOnly cookie), plus `requotedFrom`. " +
            "A quote that has not expired answers 409 QuoteNotExpired. A repeat with the same Idempotency-Key gets the first answer only with the new quote's token as `Authorization: Bearer` (else 409 IdempotencyKeyUsed).",
          security: customerAuth,
          parameters: [quoteIdParam, idempotencyKey],
          responses: {
            "201": json(schemas.requotedQuote, "Started again", {
              ...etag,
              Location: { description: "The new quote's URL", schema: { type: "string" } },
              "Set-Cookie": { description: "quote_access_<newQuoteId>=<accessToken>; HttpOnly; SameSite=Lax", schema: { type: "string" } },
            }),
            ...problems(400, 404, 409, 422, 503),
          },
        },
      },
      "/api/quotes/{quoteId}/erase": {
        post: {
          operationId: "erasePersonalData",
          tags: ["customers"],
          summary: "Delete my data: erase the quote's personal data",
          description:
            "Destroys the quote's data key with a PersonalDataErased event: its email, phone number, city, ZIP/postal code and family names become unreadable in every copy of its events (database, Kafka, rebuilds) and read as `[erased]`. " +
            "Status, premium and application number stay. Takes no body. Already erased: 409 PersonalDataErased.",
          security: customerAuth,
          parameters: [quoteIdParam, ifMatch, idempotencyKey],
          responses: { "200": json(schemas.erasureResult, "Erased", etag), ...problems(400, 404, 409, 412, 422, 503) },
        },
      },
      "/api/quotes/{quoteId}/personal-data": {
        get: {
          operationId: "exportPersonalData",
          tags: ["customers"],
          summary: "Download everything held about the customer for this quote",
          description: "A JSON attachment (Content-Disposition): the quote as shown and every recorded event with its personal values decrypted.",
          security: customerAuth,
          parameters: [quoteIdParam],
          responses: { "200": json(schemas.personalDataExport, "The export"), ...problems(400, 404, 503) },
        },
      },
      "/api/admin/quotes": {
        get: {
          operationId: "listQuotes",
          tags: ["agents"],
          summary: "A page of the quote list",
          security: agentAuth,
          parameters: queryParameters(quoteListQuerySchema, listParameterDescriptions),
          responses: { "200": json(schemas.quoteList, "A page of quote summaries"), ...problems(400, 401, 403, 503) },
        },
      },
      "/api/admin/quotes.csv": {
        get: {
          operationId: "exportQuotes",
          tags: ["agents"],
          summary: "Every quote the list's filters match, as CSV",
          description:
            "The list's filters and order (page and pageSize are accepted and ignored), every match up to 10,000 rows, as an RFC 4180 CSV attachment with a header row. " +
            "Text starting with = + - @ is prefixed with ' (no formulas run in a spreadsheet); erased personal values read `erased`.",
          security: agentAuth,
          parameters: queryParameters(quoteListQuerySchema, listParameterDescriptions),
          responses: {
            "200": {
              description: "The quotes as CSV",
              headers: {
                "Content-Disposition": { required: true, description: 'attachment; filename="quotes-<YYYY-MM-DD>.csv"', schema: { type: "string", pattern: '^attachment; filename="quotes-[0-9-]+\\.csv"$' } },
                "X-Export-Truncated": { required: true, description: "true when more quotes matched than the file holds", schema: { type: "string", enum: ["true", "false"] } },
              },
              content: { "text/csv": { schema: { type: "string" } } },
            },
            ...problems(400, 401, 403, 503),
          },
        },
      },
      "/api/admin/quotes/{quoteId}": {
        get: {
          operationId: "getQuoteForAgent",
          tags: ["agents"],
          summary: "Every page, the premium, the decision and the timeline of a quote",
          security: agentAuth,
          parameters: [quoteIdParam, minVersionParam],
          responses: { "200": json(schemas.adminQuoteView, "The quote", etag), ...problems(400, 401, 403, 404, 503) },
        },
      },
      "/api/admin/quotes/{quoteId}/document": {
        get: {
          operationId: "getQuoteDocumentForAgent",
          tags: ["agents"],
          summary: "The quote as the PDF its customer downloads",
          security: agentAuth,
          parameters: [quoteIdParam],
          responses: { "200": quoteDocument, ...problems(400, 401, 403, 404, 503) },
        },
      },
      "/api/admin/quotes/{quoteId}/approve": agentDecision("approveQuote", "Approve", input(approveQuoteBodySchema), false),
      "/api/admin/quotes/{quoteId}/erase": {
        post: {
          operationId: "erasePersonalDataAsAgent",
          tags: ["agents"],
          summary: "Erase a quote's personal data at the customer's request",
          description: "Needs a reason. As the customer's own erasure: the data key is destroyed with a PersonalDataErased event; 409 PersonalDataErased when already done.",
          security: agentAuth,
          parameters: [quoteIdParam, ifMatch, idempotencyKey],
          requestBody: jsonBody(reasonBody(eraseQuoteBodySchema), true),
          responses: { "200": json(schemas.erasureResult, "Erased", etag), ...problems(400, 401, 403, 404, 409, 412, 413, 422, 503) },
        },
      },
      "/api/admin/quotes/{quoteId}/notes": {
        post: {
          operationId: "addQuoteNote",
          tags: ["agents"],
          summary: "Add a note to a quote",
          description:
            "A note for the agents, shown on the quote's timeline with its author. The text is personal data: encrypted like the customer's answers, and read as `[erased]` once the quote's personal data is erased (after which notes are refused: 409 PersonalDataErased).",
          security: agentAuth,
          parameters: [quoteIdParam, ifMatch, idempotencyKey],
          requestBody: jsonBody(noteBody(), true),
          responses: { "201": json(schemas.quoteVersion, "Noted", etag), ...problems(400, 401, 403, 404, 409, 412, 413, 422, 503) },
        },
      },
      "/api/admin/quotes/{quoteId}/assign": {
        post: {
          operationId: "assignQuote",
          tags: ["agents"],
          summary: "Assign a quote to yourself or to another agent",
          description:
            "No body (or no agentId) assigns the quote to you; `agentId` to that agent (400 when no agent has that id). Taking a quote from another agent is allowed. " +
            "Assigning it to the agent who already has it records nothing and answers the same 200.",
          security: agentAuth,
          parameters: [quoteIdParam, ifMatch, idempotencyKey],
          requestBody: jsonBody(input(assignQuoteBodySchema), false),
          responses: { "200": json(schemas.assignmentResult, "Assigned", etag), ...problems(400, 401, 403, 404, 409, 412, 413, 422, 503) },
        },
      },
      "/api/admin/quotes/{quoteId}/reject": agentDecision("rejectQuote", "Reject", reasonBody(rejectQuoteBodySchema), true),
      "/api/admin/quotes/{quoteId}/refer": agentDecision("referQuote", "Refer", reasonBody(referQuoteBodySchema), true),
      "/api/admin/quotes/{quoteId}/application-number": {
        post: {
          operationId: "requestApplicationNumber",
          tags: ["agents"],
          summary: "Ask the external service for the quote's application number again",
          description: "After a failure: the request is queued for the worker. Takes no body.",
          security: agentAuth,
          parameters: [quoteIdParam, idempotencyKey],
          responses: { "202": json(schemas.applicationNumberRequested, "Queued", etag), ...problems(400, 401, 403, 404, 409, 422, 503) },
        },
      },
      "/api/admin/quotes/bulk-decisions": {
        post: {
          operationId: "bulkDecideQuotes",
          tags: ["agents"],
          summary: "Approve or refer several quotes at once, asynchronously",
          description:
            `Up to ${MAX_BULK_QUOTES} quotes; referring needs a reason. Queued durably and answered at once (202): the worker then approves or refers each quote as you, ` +
            "as a single decision would. A quote that cannot be decided (already decided, expired, withdrawn, unknown) is reported in the command's progress, not an error here.",
          security: agentAuth,
          parameters: [idempotencyKey],
          requestBody: jsonBody(bulkDecisionBody()),
          responses: {
            "202": json(schemas.commandAccepted, "Queued", { Location: { required: true, description: "The command's status URL", schema: { type: "string" } } }),
            ...problems(400, 401, 403, 413, 422, 503),
          },
        },
      },
      "/api/admin/commands/{commandId}": {
        get: {
          operationId: "getCommand",
          tags: ["agents"],
          summary: "An asynchronous command's progress and each quote's outcome",
          description: "Any agent may follow any command (the quotes are shared; `requestedBy` says who asked).",
          security: agentAuth,
          parameters: [{ name: "commandId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          responses: { "200": json(schemas.commandBatch, "The command"), ...problems(400, 401, 403, 503), "404": problemJson(schemas.problem, "No such command") },
        },
      },
      "/api/admin/funnel": {
        get: {
          operationId: "getFunnel",
          tags: ["agents"],
          summary: "Quotes per wizard step and day",
          description: `Dates are UTC days, both included; the end on or after the start, at most ${MAX_FUNNEL_DAYS} days apart (else 400). Either left out is its default: the last 30 days.`,
          security: agentAuth,
          parameters: ["from", "to"].map((name) => ({ name, in: "query", required: false, schema: { type: "string", format: "date", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" } })),
          responses: { "200": json(schemas.funnel, "The funnel"), ...problems(400, 401, 403, 503) },
        },
      },
      "/api/worker": {
        get: {
          operationId: "getWorkerStatus",
          tags: ["operations"],
          summary: "The worker's status",
          description: "Lag per partition, the relay's backlog and leader, the running workers, and the parked messages.",
          security: [{ agentSession: [] }, { workerSecret: [] }],
          responses: { "200": json(schemas.workerStatus, "The status"), ...problems(401, 403, 503) },
        },
      },
      "/api/worker/drain": {
        post: {
          operationId: "drainWorker",
          tags: ["operations"],
          summary: "Run the relay and the projection until caught up (about 25 s at most)",
          description: "For deployments that trigger the worker's work on a schedule. Takes no body.",
          security: [{ agentSession: [] }, { workerSecret: [] }],
          responses: { "200": json(schemas.drainResult, "What was done, and what is left"), ...problems(401, 403, 503) },
        },
      },
      "/api/health": {
        get: { operationId: "getHealth", tags: ["operations"], summary: "Liveness: the process is up", responses: { "200": json(schemas.health, "Up") } },
      },
      "/api/ready": {
        get: {
          operationId: "getReadiness",
          tags: ["operations"],
          summary: "Readiness: the database reachable and migrated, and Kafka reachable in Kafka mode",
          security: [{}, { agentSession: [] }, { workerSecret: [] }],
          responses: { "200": json(schemas.readiness, "Ready"), "503": json(schemas.readiness, "Not ready") },
        },
      },
      "/api/metrics": {
        get: {
          operationId: "getMetrics",
          tags: ["operations"],
          summary: "This web process's metrics, in the Prometheus text format",
          description: "For a Prometheus scrape (docs/OPERATIONS.md says what each metric means). Served to a caller on loopback, or with `Authorization: Bearer <METRICS_TOKEN>`. The worker serves its own on WORKER_METRICS_PORT.",
          security: [{}, { metricsToken: [] }],
          responses: {
            "200": { description: "The metrics (text/plain; version=0.0.4)", content: { "text/plain": { schema: { type: "string" } } } },
            "401": problemJson(schemas.problem, "Neither on loopback nor with METRICS_TOKEN", { "WWW-Authenticate": { schema: { type: "string" }, description: 'Bearer realm="metrics"' } }),
          },
        },
      },
      "/api/openapi.json": {
        get: {
          operationId: "getOpenApiDocument",
          tags: ["operations"],
          summary: "This document",
          responses: { "200": json({ type: "object", required: ["openapi", "info", "paths"] }, "The OpenAPI 3.1 document") },
        },
      },
      "/api/auth/sign-in/email": {
        post: {
          operationId: "signIn",
          tags: ["auth"],
          summary: "An agent signs in",
          description: "Sets the session cookie. Agents are added with `npm run agents:create`; there is no sign-up. A request that carries cookies must come with this site's Origin.",
          requestBody: jsonBody({
            type: "object",
            required: ["email", "password"],
            properties: {
              email: { type: "string", format: "email" },
              password: { type: "string", minLength: 1, maxLength: AGENT_PASSWORD_MAX_LENGTH },
              rememberMe: { type: "boolean", default: true, description: "false: the session ends with the browser" },
            },
          }),
          responses: {
            "200": json(schemas.signedIn, "Signed in", { "Set-Cookie": { description: "better-auth.session_token (__Secure-better-auth.session_token over https); HttpOnly; SameSite=Lax", schema: { type: "string" } } }),
            ...authErrors(400, 401, 403, 415),
          },
        },
      },
      "/api/auth/sign-out": {
        post: {
          operationId: "signOut",
          tags: ["auth"],
          summary: "Sign out: ends the session the cookie names (if any) and clears the cookie",
          description: "Must come with this site's Origin when it carries cookies (else 403, and the session stays).",
          security: [{}, { agentSession: [] }],
          requestBody: jsonBody({ type: "object", description: "`{}` will do; Better Auth refuses a request without a JSON body (415)" }),
          responses: { "200": json({ type: "object", required: ["success"], properties: { success: { const: true } } }, "Signed out"), ...authErrors(400, 403, 415) },
        },
      },
      "/api/auth/get-session": {
        get: {
          operationId: "getSession",
          tags: ["auth"],
          summary: "The session the cookie names, or null",
          security: [{}, { agentSession: [] }],
          responses: { "200": json({ anyOf: [ref(schemas.session), { type: "null" }] }, "The session and its user, or null without one"), ...authErrors() },
        },
      },
    },
    components: {
      schemas: components(),
      securitySchemes: {
        quoteBearer: {
          type: "http",
          scheme: "bearer",
          description: "The accessToken answered when the quote started. Browsers send the same token in the quote_access_<quoteId> cookie instead.",
        },
        agentSession: { type: "apiKey", in: "cookie", name: "better-auth.session_token", description: "Set by signing in; __Secure-better-auth.session_token when the app is served over https" },
        workerSecret: { type: "http", scheme: "bearer", description: "WORKER_DRAIN_SECRET, for a scheduler" },
        metricsToken: { type: "http", scheme: "bearer", description: "METRICS_TOKEN, for a metrics scraper off the box" },
      },
    },
  };
}
