import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openApiDocument } from "./openapi";

describe("OpenAPI document", () => {
  const doc = openApiDocument();
  it("is OpenAPI 3.1 and describes every customer route", () => {
    assert.equal(doc.openapi, "3.1.0");
    for (const path of ["/api/quotes", "/api/quotes/{quoteId}", "/api/quotes/{quoteId}/geographic-details", "/api/quotes/{quoteId}/contact-details", "/api/quotes/{quoteId}/family-details", "/api/quotes/{quoteId}/submit"]) {
      assert.ok(path in doc.paths, path);
    }
  });
  it("takes its request bodies from the same zod schemas as the handlers", () => {
    const body = doc.paths["/api/quotes/{quoteId}/geographic-details"].put.requestBody.content["application/json"].schema as unknown as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    assert.deepEqual(Object.keys(body.properties).sort(), ["city", "country", "state", "zipCode"]);
    assert.equal(body.additionalProperties, false, "unknown fields are refused");
    const family = doc.paths["/api/quotes/{quoteId}/family-details"].put.requestBody.content["application/json"].schema as unknown as { properties: { numberOfDependents: { type: string; maximum: number } } };
    assert.equal(family.properties.numberOfDependents.type, "integer");
    assert.equal(family.properties.numberOfDependents.maximum, 12);
  });
});
