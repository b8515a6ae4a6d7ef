// The part of Confluent Schema Registry's REST API that @kafkajs/confluent-schema-registry calls, over a
// SubjectStore: a request in, a status and a JSON body out (no sockets here, so it is tested as it is).
import { isCompatibilityLevel, COMPATIBILITY_LEVELS } from "./compatibility-levels";
import { invalidSchema, RegistryProblem, type SubjectStore } from "./subject-store";

export interface RegistryRequest {
  method: string;
  /** Path and query, as in the request line. */
  url: string;
  /** The body's text ("" when there is none). */
  body: string;
}

export interface RegistryResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const MAX_VERSION = 0x7fffffff;

const ok = (body: unknown): RegistryResponse => ({ status: 200, body });
const problem = (p: RegistryProblem): RegistryResponse => ({ status: p.status, body: { error_code: p.errorCode, message: p.message } });

function parseVersion(text: string): number | "latest" {
  if (text === "latest" || text === "-1") return "latest";
  const number = /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : NaN;
  if (!(number <= MAX_VERSION)) {
    throw new RegistryProblem(422, 42202, `The specified version '${text}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`);
  }
  return number;
}

function parseId(text: string): number {
  const number = /^[0-9]{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(number <= MAX_VERSION)) throw new RegistryProblem(404, 40403, `Schema ${text} not found`);
  return number;
}

function jsonBody(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new RegistryProblem(400, 400, `The request body is not JSON: ${(error as Error).message}`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new RegistryProblem(422, 422, "The request body must be a JSON object");
  return body as Record<string, unknown>;
}

/** `{ "schema": "<text>" }`; only AVRO, without references (what this project registers). */
function schemaOf(body: Record<string, unknown>): string {
  const type = body.schemaType ?? "AVRO";
  if (type !== "AVRO") throw invalidSchema(`this stand-in serves AVRO schemas only, not ${JSON.stringify(type)}`);
  if (Array.isArray(body.references) && body.references.length > 0) throw invalidSchema("this stand-in does not support schema references");
  if (typeof body.schema !== "string") throw invalidSchema('the body must hold "schema": the schema\'s JSON text');
  return body.schema;
}

function compatibilityOf(body: Record<string, unknown>) {
  const level = typeof body.compatibility === "string" ? body.compatibility.toUpperCase() : body.compatibility;
  if (!isCompatibilityLevel(level)) throw new RegistryProblem(422, 42203, `Invalid compatibility level ${JSON.stringify(body.compatibility)}: one of ${COMPATIBILITY_LEVELS.join(", ")}`);
  return level;
}

type Handler = (params: string[], request: RegistryRequest, query: URLSearchParams, store: SubjectStore) => RegistryResponse;

/** Path patterns (segments decoded), each with its handler per method. */
const routes: Array<{ pattern: RegExp; methods: Record<string, Handler> }> = [
  { pattern: /^\/$/, methods: { GET: () => ok({}) } },
  { pattern: /^\/schemas\/types$/, methods: { GET: () => ok(["AVRO"]) } },
  { pattern: /^\/subjects$/, methods: { GET: (_, __, ___, store) => ok(store.subjects()) } },
  {
    pattern: /^\/subjects\/([^/]+)\/versions$/,
    methods: {
      GET: ([subject], _, __, store) => ok(store.versions(subject!)),
      POST: ([subject], request, _, store) => ok(store.register(subject!, schemaOf(jsonBody(request.body)))),
    },
  },
  {
    pattern: /^\/subjects\/([^/]+)\/versions\/([^/]+)$/,
    methods: {
      GET: ([subject, version], _, __, store) => {
        const found = store.version(subject!, parseVersion(version!));
        return ok({ subject: found.subject, version: found.version, id: found.id, schema: found.schema });
      },
    },
  },
  { pattern: /^\/subjects\/([^/]+)\/versions\/([^/]+)\/schema$/, methods: { GET: ([subject, version], _, __, store) => ok(JSON.parse(store.version(subject!, parseVersion(version!)).schema)) } },
  {
    pattern: /^\/subjects\/([^/]+)$/,
    methods: {
      POST: ([subject], request, _, store) => {
        const found = store.lookup(subject!, schemaOf(jsonBody(request.body)));
        return ok({ subject: found.subject, version: found.version, id: found.id, schema: found.schema });
      },
    },
  },
  { pattern: /^\/schemas\/ids\/([^/]+)$/, methods: { GET: ([id], _, __, store) => ok({ schema: store.schemaById(parseId(id!)) }) } },
  { pattern: /^\/schemas\/ids\/([^/]+)\/versions$/, methods: { GET: ([id], _, __, store) => ok(store.usesOf(parseId(id!))) } },
  {
    pattern: /^\/compatibility\/subjects\/([^/]+)\/versions\/([^/]+)$/,
    methods: {
      POST: ([subject, version], request, query, store) => {
        const problems = store.compatibilityProblemsWith(subject!, parseVersion(version!), schemaOf(jsonBody(request.body)));
        return ok({ is_compatible: problems.length === 0, ...(query.get("verbose") === "true" ? { messages: problems } : {}) });
      },
    },
  },
  {
    pattern: /^\/config$/,
    methods: {
      GET: (_, __, ___, store) => ok({ compatibilityLevel: store.globalCompatibility() }),
      PUT: (_, request, __, store) => {
        const level = compatibilityOf(jsonBody(request.body));
        store.setCompatibility(null, level);
        return ok({ compatibility: level });
      },
    },
  },
  {
    pattern: /^\/config\/([^/]+)$/,
    methods: {
      GET: ([subject], _, query, store) => {
        const level = store.compatibilityOf(subject!) ?? (query.get("defaultToGlobal") === "true" ? store.globalCompatibility() : undefined);
        if (!level) throw new RegistryProblem(404, 40408, `Subject '${subject}' does not have subject-level compatibility configured`);
        return ok({ compatibilityLevel: level });
      },
      PUT: ([subject], request, _, store) => {
        const level = compatibilityOf(jsonBody(request.body));
        store.setCompatibility(subject!, level);
        return ok({ compatibility: level });
      },
    },
  },
];

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RegistryProblem(404, 404, `Malformed path segment ${JSON.stringify(segment)}`);
  }
}

/** Answers one request. Every refusal is Confluent's `{ error_code, message }`; nothing thrown escapes. */
export function handleRegistryRequest(request: RegistryRequest, store: SubjectStore): RegistryResponse {
  try {
    const url = new URL(request.url, "http://registry.invalid");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      const handler = route.methods[request.method];
      if (!handler) {
        const allowed = Object.keys(route.methods).join(", ");
        return { status: 405, body: { error_code: 405, message: `Method ${request.method} is not allowed on ${path} (this stand-in answers ${allowed})` }, headers: { allow: allowed } };
      }
      return handler(match.slice(1).map(decodeSegment), request, url.searchParams, store);
    }
    return { status: 404, body: { error_code: 404, message: `HTTP 404 Not Found: ${path} is not a route of this schema registry` } };
  } catch (error) {
    if (error instanceof RegistryProblem) return problem(error);
    return { status: 500, body: { error_code: 50001, message: `Error in the backend data store: ${(error as Error).message}` } };
  }
}
