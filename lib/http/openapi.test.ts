import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { COUNTRY_CODES, MAX_DEPENDENTS, REGIONS_BY_COUNTRY, contactDetailsSchema, familyDetailsSchema, geographicDetailsSchema } from "../../schemas/quote";
import { openApiDocument } from "./openapi";
import { requestMetadata } from "./request-metadata";

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; allOf?: Array<{ if: Schema; then: Schema }>; pattern?: string; enum?: unknown[]; maxItems?: number };
interface Operation {
  parameters?: Array<{ name: string; in: string; schema: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }>; headers?: Record<string, { required?: boolean }> }>;
}

const doc = openApiDocument();
const paths = doc.paths as unknown as Record<string, Record<string, Operation>>;
const components = doc.components.schemas as Record<string, Schema>;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const apiDir = path.resolve(import.meta.dirname, "../../app/api");

/**
 * Routes the document leaves out on purpose, and why. Anything else under app/api must be in it.
 */
const NOT_DOCUMENTED: Record<string, string> = {
  "GET /api/auth/{...all}": "Better Auth's own API behind one catch-all route; the three endpoints the app uses (sign-in/email, sign-out, get-session) are documented by their own paths",
  "POST /api/auth/{...all}": "as GET: Better Auth's catch-all",
  "OPTIONS /api/metrics": "answers 204 with Allow only",
  "POST /api/metrics": "answers 405 with Allow only (GET, HEAD, OPTIONS)",
  "PUT /api/metrics": "as POST: 405 with Allow",
  "PATCH /api/metrics": "as POST: 405 with Allow",
  "DELETE /api/metrics": "as POST: 405 with Allow",
  "PUT /api/bench/bare": "the benchmarks' baseline (bench/run.ts), which answers 404 unless the server runs with BENCH_ROUTES=1",
};

/** Every route file under app/api as "METHOD /api/path", the folder path turned into OpenAPI's: [quoteId] → {quoteId}. */
function routesOnDisk(): string[] {
  const routes: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^route\.(ts|tsx|js)$/.test(entry.name)) {
        const segments = path
          .relative(apiDir, dir)
          .split(path.sep)
          .filter((segment) => segment !== "" && !/^\(.*\)$/.test(segment))
          .map((segment) => segment.replace(/^\[(.+)\]$/, "{$1}"));
        const apiPath = ["/api", ...segments].join("/");
        for (const method of exportedMethods(fs.readFileSync(full, "utf8"))) routes.push(`${method} ${apiPath}`);
      }
    }
  };
  walk(apiDir);
  return routes.sort();
}

/** The HTTP methods a route module exports: `export function GET`, `export const POST =`, `export { handler as PUT }`. */
function exportedMethods(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:async\s+)?(?:function\s*\*?|const|let|var)\s+([A-Z]+)\b/g)) names.add(match[1]!);
  for (const list of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const item of list[1]!.split(",")) names.add(item.trim().split(/\s+as\s+/).at(-1)!);
  }
  return [...names].filter((name) => METHODS.includes(name));
}

const documented = (route: string) => {
  const [method, apiPath] = route.split(" ") as [string, string];
  return Boolean(paths[apiPath]?.[method.toLowerCase()]);
};

const matches = (pattern: string | undefined, value: string) => pattern === undefined || new RegExp(pattern, "u").test(value);
const body = (apiPath: string, method = "put") => paths[apiPath]![method]!.requestBody!.content["application/json"]!.schema;
const thenFor = (schema: Schema, property: string, value: unknown) => schema.allOf!.find((clause) => clause.if.properties![property]!.const === value)?.then;

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1", () => {
    assert.equal(doc.openapi, "3.1.0");
  });

  it("documents every route and method under app/api, or says why not", () => {
    const routes = routesOnDisk();
    assert.ok(routes.includes("PUT /api/quotes/{quoteId}/contact-details"), `the walk found the routes: ${routes.join(", ")}`);
    const missing = routes.filter((route) => !documented(route) && !(route in NOT_DOCUMENTED));
    assert.deepEqual(missing, [], `routes missing from the OpenAPI document: ${missing.join(", ")}`);
    const stale = Object.keys(NOT_DOCUMENTED).filter((route) => !routes.includes(route));
    assert.deepEqual(stale, [], `excluded routes that no longer exist: ${stale.join(", ")}`);
  });

  it("documents no route that does not exist", () => {
    const routes = routesOnDisk();
    const served = (method: string, apiPath: string) =>
      routes.includes(`${method} ${apiPath}`) || (apiPath.startsWith("/api/auth/") && routes.includes(`${method} /api/auth/{...all}`));
    const phantom = Object.entries(paths).flatMap(([apiPath, operations]) =>
      Object.keys(operations)
        .map((method) => method.toUpperCase())
        .filter((method) => !served(method, apiPath))
        .map((method) => `${method} ${apiPath}`),
    );
    assert.deepEqual(phantom, []);
  });

  it("gives every answer of every operation a schema that resolves", () => {
    const dangling: string[] = [];
    const refs = (value: unknown): string[] =>
      value && typeof value === "object" ? Object.entries(value).flatMap(([key, inner]) => (key === "$ref" && typeof inner === "string" ? [inner] : refs(inner))) : [];
    for (const [apiPath, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        assert.ok(Object.keys(operation.responses).some((status) => /^2/.test(status)), `${method} ${apiPath} has a success answer`);
        for (const [status, response] of Object.entries(operation.responses)) {
          assert.ok(response.content && Object.values(response.content).every((media) => media.schema), `${method} ${apiPath} ${status} has a body schema`);
          for (const ref of refs(response.content)) if (!components[ref.replace("#/components/schemas/", "")]) dangling.push(`${method} ${apiPath} ${status}: ${ref}`);
        }
      }
    }
    for (const ref of refs(components)) if (!components[ref.replace("#/components/schemas/", "")]) dangling.push(ref);
    assert.deepEqual(dangling, []);
  });

  it("describes the customer's answers with their real schemas", () => {
    const view = components.CustomerQuoteView!;
    assert.ok(["quoteId", "version", "status", "geographicDetails", "premium", "applicationNumberStatus", "stale"].every((name) => view.properties![name]), "the view's members");
    const getQuote = paths["/api/quotes/{quoteId}"]!.get!;
    assert.deepEqual(getQuote.responses["200"]!.content!["application/json"]!.schema, { $ref: "#/components/schemas/CustomerQuoteView" });
    assert.deepEqual(paths["/api/quotes/{quoteId}/submit"]!.post!.responses["200"]!.content!["application/json"]!.schema, { $ref: "#/components/schemas/SubmittedQuote" });
  });

  it("says which problem members come with which status", () => {
    const required = (status: string, apiPath = "/api/quotes/{quoteId}/contact-details", method = "put") => {
      const schema = paths[apiPath]![method]!.responses[status]!.content!["application/problem+json"]!.schema;
      return components[String(schema.$ref).split("/").at(-1)!]!.required as string[];
    };
    assert.ok(required("400").includes("errors"));
    assert.ok(required("412").includes("currentVersion") && required("412").includes("latest"));
    assert.ok(required("409").includes("code"));
    assert.ok(required("429", "/api/quotes", "post").includes("retryAfterSeconds"));
    assert.equal(paths["/api/quotes"]!.post!.responses["429"]!.headers!["Retry-After"]!.required, true);
    for (const member of ["errors", "limitBytes", "retryAfterSeconds", "code", "missing", "currentVersion", "latest"]) assert.ok(components.Problem!.properties![member], member);
  });

  it("takes its request bodies from the same zod schemas as the handlers", () => {
    const geographic = body("/api/quotes/{quoteId}/geographic-details");
    assert.deepEqual(Object.keys(geographic.properties!).sort(), ["city", "country", "state", "zipCode"]);
    assert.equal(geographic.additionalProperties, false, "unknown fields are refused");
    const family = body("/api/quotes/{quoteId}/family-details");
    assert.equal(family.properties!.numberOfDependents!.type, "integer");
    assert.equal(family.properties!.numberOfDependents!.maximum, MAX_DEPENDENTS);
  });

  it("allows each country's own states and postcodes, and only those, as the server does", () => {
    const geographic = body("/api/quotes/{quoteId}/geographic-details");
    const postcodes = ["94103", "94103-1234", "9410", "941031", "94103-12", "K1A 0B1", "K1A0B1", "W1A 0B1", "K1A 0B", "D1A 0B1", "SW1A 1AA", "SW1A1AA", "GIR 0AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "Q1 1AA", "SW1A 1A", "ABCDE"];
    const allRegions = COUNTRY_CODES.flatMap((country) => REGIONS_BY_COUNTRY[country].map((region) => region.code));
    for (const country of COUNTRY_CODES) {
      const then = thenFor(geographic, "country", country)!;
      const someState = REGIONS_BY_COUNTRY[country][0]!.code;
      for (const zipCode of postcodes) {
        const server = geographicDetailsSchema.safeParse({ country, state: someState, city: "Springfield", zipCode });
        const serverAccepts = server.success || !server.error.issues.some((issue) => issue.path[0] === "zipCode");
        assert.equal(matches(then.properties!.zipCode!.pattern, zipCode), serverAccepts, `${country} postcode ${zipCode}: the document and the server disagree`);
      }
      for (const state of allRegions) {
        const server = geographicDetailsSchema.safeParse({ country, state, city: "Springfield", zipCode: "x" });
        const serverAccepts = server.success || !server.error.issues.some((issue) => issue.path[0] === "state");
        assert.equal(then.properties!.state!.enum!.includes(state), serverAccepts, `${country} state ${state}: the document and the server disagree`);
      }
    }
  });

  it("allows the phone numbers the server accepts, and no others", () => {
    const pattern = body("/api/quotes/{quoteId}/contact-details").properties!.phoneNumber!.pattern;
    const samples = ["+1 (555) 123-4567", "5551234", "555123", "123456789012345", "1234567890123456", "+44 20 7946 0958", "555-abc-1234", "+", "1+5551234", "(555) 1234567", "++15551234", "555.123.4567"];
    for (const phoneNumber of samples) {
      const serverAccepts = contactDetailsSchema.safeParse({ email: "a@example.com", phoneNumber }).success;
      assert.equal(matches(pattern, phoneNumber), serverAccepts, `phone number ${phoneNumber}: the document and the server disagree`);
    }
  });

  it("allows no more children named than dependents counted", () => {
    const family = body("/api/quotes/{quoteId}/family-details");
    for (let dependents = 0; dependents <= MAX_DEPENDENTS; dependents++) {
      const maxItems = thenFor(family, "numberOfDependents", dependents)?.properties!.childrenNames!.maxItems ?? family.properties!.childrenNames!.maxItems;
      const tooMany = Array.from({ length: dependents + 1 }, (_, n) => `Child ${n}`);
      assert.equal(maxItems, dependents, `${dependents} dependents`);
      assert.equal(familyDetailsSchema.safeParse({ numberOfDependents: dependents, childrenNames: tooMany.slice(0, dependents) }).success, true);
      assert.equal(familyDetailsSchema.safeParse({ numberOfDependents: dependents, childrenNames: tooMany }).success, false);
    }
  });

  it("states the If-Match and Idempotency-Key formats the server enforces", () => {
    const header = (name: string) => paths["/api/quotes/{quoteId}/contact-details"]!.put!.parameters!.find((parameter) => parameter.name === name)!.schema;
    const serverAccepts = (name: string, value: string) => requestMetadata(new Request("http://localhost/api/quotes/x", { headers: { [name]: value } }), null).ok;
    for (const value of ['"3"', 'W/"12"', "3", '"a"', '"3', "*", '"-1"', '"3", "4"', '""']) {
      assert.equal(matches(header("If-Match").pattern, value), serverAccepts("If-Match", value), `If-Match ${value}`);
    }
    for (const value of ["abc", "a".repeat(100), "a".repeat(101), "a b", "clé", "a/b", "x:y.z-_9", ""]) {
      const schema = header("Idempotency-Key");
      const documentAllows = matches(schema.pattern, value) && value.length <= Number(schema.maxLength) && value.length >= Number(schema.minLength);
      assert.equal(documentAllows, serverAccepts("Idempotency-Key", value), `Idempotency-Key ${JSON.stringify(value)}`);
    }
  });
});
