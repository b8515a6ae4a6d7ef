import "server-only";
import { z } from "zod";
import { approveQuoteBodySchema, contactDetailsSchema, familyDetailsSchema, geographicDetailsSchema, referQuoteBodySchema, rejectQuoteBodySchema } from "../../schemas/quote";
import { listQuotesPayloadSchema } from "../../schemas/queries";
import { MAX_BODY_BYTES } from "./read-json-body";

/** JSON Schema of what a client sends (the input side of each zod schema). */
const input = (schema: z.core.$ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" });
const output = (schema: z.core.$ZodType) => z.toJSONSchema(schema, { io: "output", unrepresentable: "any", target: "draft-2020-12" });

const problem = { $ref: "#/components/schemas/Problem" };
const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { description: STATUS_TEXT[status], content: { "application/problem+json": { schema: problem } } }]));
const STATUS_TEXT: Record<number, string> = {
  400: "Invalid input: `errors` names each field and its problem; nothing was saved",
  401: "No session (agents) or no access token",
  403: "Signed in, but not allowed",
  404: "No such quote for this access token",
  409: "Conflict: the quote changed meanwhile, or the command is not possible in its state",
  412: "What you saw at the If-Match version has changed since (the same page saved elsewhere, another decision): the body's `latest` holds the current answers and the ETag the current version",
  413: `The body is larger than ${MAX_BODY_BYTES} bytes (\`limitBytes\`); it was not read further and nothing was saved`,
  503: "A backing service is briefly unavailable; nothing was lost",
};
const quoteIdParam = { name: "quoteId", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const customerAuth = [{ quoteCookie: [] }, { quoteBearer: [] }];
const commandHeaders = [
  { name: "If-Match", in: "header", required: false, schema: { type: "string", example: '"3"' }, description: "The version you last saw. Newer events that leave what this request is based on unchanged (another page, the application number) do not refuse it; a change to it answers 412" },
  { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 100 }, description: "A repeat returns the first response and appends nothing" },
];
const versionResponse = { type: "object", required: ["quoteId", "version"], properties: { quoteId: { type: "string", format: "uuid" }, version: { type: "integer" } } };

function capturePage(name: string, schema: z.core.$ZodType) {
  return {
    put: {
      summary: `Capture the ${name} page of a draft quote`,
      security: customerAuth,
      parameters: [quoteIdParam, ...commandHeaders],
      requestBody: { required: true, content: { "application/json": { schema: input(schema) } } },
      responses: { "200": { description: "Captured", content: { "application/json": { schema: versionResponse } } }, ...problems(400, 404, 409, 412, 413, 503) },
    },
  };
}

function agentDecision(name: string, schema: z.ZodType) {
  return {
    post: {
      summary: `${name} a submitted quote (agents)`,
      security: [{ agentSession: [] }],
      parameters: [quoteIdParam, ...commandHeaders],
      requestBody: { required: true, content: { "application/json": { schema: input(schema) } } },
      responses: { "200": { description: "Decided", content: { "application/json": { schema: { ...versionResponse, properties: { ...versionResponse.properties, status: { type: "string" } } } } } }, ...problems(400, 401, 403, 404, 409, 412, 413) },
    },
  };
}

/** The OpenAPI 3.1 description of the HTTP API, generated from the same zod schemas the handlers use. */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "Quoting platform API", version: "1.0.0", description: "Customers' quote commands and queries, and the agents' API. Errors are RFC 9457 problem+json." },
    servers: [{ url: "/" }],
    paths: {
      "/api/quotes": {
        post: {
          summary: "Start a quote",
          description: "Returns the access token and sets it as an httpOnly cookie. The application number is requested in the background.",
          responses: {
            "201": { description: "Started", content: { "application/json": { schema: { ...versionResponse, required: ["quoteId", "version", "accessToken"], properties: { ...versionResponse.properties, accessToken: { type: "string" } } } } } },
            ...problems(400, 413, 503),
          },
        },
      },
      "/api/quotes/{quoteId}": {
        get: {
          summary: "The quote as its customer sees it",
          security: customerAuth,
          parameters: [quoteIdParam, { name: "minVersion", in: "query", required: false, schema: { type: "integer", minimum: 0 }, description: "Wait (about 2 s at most) until the read model has this version; else `stale: true`" }],
          responses: { "200": { description: "The quote" }, ...problems(400, 404, 503) },
        },
      },
      "/api/quotes/{quoteId}/geographic-details": capturePage("geographic details", geographicDetailsSchema),
      "/api/quotes/{quoteId}/contact-details": capturePage("contact details", contactDetailsSchema),
      "/api/quotes/{quoteId}/family-details": capturePage("family details", familyDetailsSchema),
      "/api/quotes/{quoteId}/submit": {
        post: {
          summary: "Submit a complete draft",
          security: customerAuth,
          parameters: [quoteIdParam, ...commandHeaders],
          responses: { "200": { description: "Submitted, with the premium and its breakdown" }, ...problems(404, 409, 412, 503) },
        },
      },
      "/api/admin/quotes": {
        get: {
          summary: "List quotes (agents)",
          security: [{ agentSession: [] }],
          parameters: Object.entries((output(listQuotesPayloadSchema) as { properties: Record<string, unknown> }).properties).map(([name, schema]) => ({ name, in: "query", required: false, schema })),
          responses: { "200": { description: "A page of quote summaries" }, ...problems(400, 401, 403) },
        },
      },
      "/api/admin/quotes/{quoteId}/approve": agentDecision("Approve", approveQuoteBodySchema),
      "/api/admin/quotes/{quoteId}/reject": agentDecision("Reject", rejectQuoteBodySchema),
      "/api/admin/quotes/{quoteId}/refer": agentDecision("Refer", referQuoteBodySchema),
      "/api/health": { get: { summary: "Liveness", responses: { "200": { description: "The process is up" } } } },
      "/api/ready": {
        get: {
          summary: "Readiness",
          description: "`{status}` only; each check's detail goes to a signed-in agent or a caller with the worker secret",
          responses: { "200": { description: "Ready" }, "503": { description: "Not ready" } },
        },
      },
    },
    components: {
      schemas: {
        Problem: {
          type: "object",
          required: ["type", "title", "status", "detail"],
          properties: {
            type: { type: "string" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            instance: { type: "string" },
            limitBytes: { type: "integer", description: "With 413: the largest body accepted, in bytes" },
            errors: { type: "array", items: { type: "object", required: ["path", "message"], properties: { path: { type: "string" }, message: { type: "string" } } } },
          },
        },
      },
      securitySchemes: {
        quoteCookie: { type: "apiKey", in: "cookie", name: "quote_access_{quoteId}" },
        quoteBearer: { type: "http", scheme: "bearer", description: "The accessToken returned when the quote started" },
        agentSession: { type: "apiKey", in: "cookie", name: "better-auth.session_token" },
      },
    },
  };
}
