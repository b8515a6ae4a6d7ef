import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as z from "zod/mini";
import type * as core from "zod/v4/core";
import { contactDetailsSchema, familyDetailsSchema, geographicDetailsSchema } from "./quote";
import { contactDetailsMiniSchema, familyDetailsMiniSchema, geographicDetailsMiniSchema } from "./quote-details-mini";

/** What a parse answers, in a form two schemas can be compared by: the data, or every issue's code, path and message. */
function outcome(schema: core.$ZodType, input: unknown) {
  const result = z.safeParse(schema, input);
  return result.success
    ? { data: result.data }
    : { issues: result.error.issues.map((issue) => ({ code: issue.code, path: issue.path.join("."), message: issue.message })) };
}

function sameOutcomes(server: core.$ZodType, browser: core.$ZodType, inputs: readonly unknown[]) {
  for (const input of inputs) assert.deepEqual(outcome(browser, input), outcome(server, input), `for ${JSON.stringify(input)}`);
}

const notObjects = [null, undefined, "text", 12, [], [{}], true];
const long = (n: number) => "x".repeat(n);

describe("the browser's zod/mini schemas answer as the server's zod schemas do", () => {
  it("geographic details", () => {
    const valid = { country: "US", state: "CA", city: "San Francisco", zipCode: "94103" };
    sameOutcomes(geographicDetailsSchema, geographicDetailsMiniSchema, [
      valid,
      { ...valid, zipCode: "94103-1234" },
      { ...valid, state: "ca", city: "  San Francisco " },
      { country: "CA", state: "on", city: "Ottawa", zipCode: "k1a0b1" },
      { country: "CA", state: "ON", city: "Ottawa", zipCode: "K1A 0B1" },
      { country: "CA", state: "ON", city: "Ottawa", zipCode: "W1A 0B1" },
      { country: "GB", state: "sct", city: "Edinburgh", zipCode: "eh11yz" },
      { country: "GB", state: "ENG", city: "London", zipCode: "GIR 0AA" },
      { country: "GB", state: "ENG", city: "London", zipCode: "SW1A 1A" },
      { country: "GB", state: "CA", city: "London", zipCode: "SW1A 1AA" },
      { country: "US", state: "ZZ", city: "", zipCode: "1" },
      { country: "FR", state: "IDF", city: "Paris", zipCode: "75001" },
      { country: "", state: "", city: "", zipCode: "" },
      { ...valid, state: " ", city: "  ", zipCode: " " },
      { ...valid, city: long(100) },
      { ...valid, city: long(101) },
      { ...valid, zipCode: "ABC" },
      { ...valid, state: 5, city: null, zipCode: [] },
      { country: "US", state: "CA", zipCode: "94103" },
      {},
      { ...valid, county: "Marin" },
      { ...valid, county: "Marin", planet: "Earth" },
      ...notObjects,
    ]);
  });

  it("contact details", () => {
    const valid = { email: "ada@example.com", phoneNumber: "+1 (415) 555-0100" };
    sameOutcomes(contactDetailsSchema, contactDetailsMiniSchema, [
      valid,
      { ...valid, email: "  Ada@Example.COM " },
      { ...valid, email: "" },
      { ...valid, email: " " },
      { ...valid, email: "ada.example.com" },
      { ...valid, email: "ada@" },
      { ...valid, email: `${long(250)}@example.com` },
      { ...valid, phoneNumber: "" },
      { ...valid, phoneNumber: "12" },
      { ...valid, phoneNumber: "1234567" },
      { ...valid, phoneNumber: "1".repeat(15) },
      { ...valid, phoneNumber: "1".repeat(16) },
      { ...valid, phoneNumber: "call me" },
      { ...valid, phoneNumber: "+44 20 7946 0958" },
      { ...valid, phoneNumber: 4155550100 },
      { phoneNumber: valid.phoneNumber },
      { email: "ada.example.com", phoneNumber: "12" },
      {},
      { ...valid, fax: "1" },
      ...notObjects,
    ]);
  });

  it("family details", () => {
    const valid = { numberOfDependents: 3, spouseName: "Grace", childrenNames: ["Alan", "Barbara"] };
    sameOutcomes(familyDetailsSchema, familyDetailsMiniSchema, [
      valid,
      { ...valid, spouseName: " Grace ", childrenNames: [" Alan", "Barbara "] },
      { ...valid, spouseName: "" },
      { ...valid, spouseName: "   " },
      { numberOfDependents: 2, childrenNames: [] },
      { numberOfDependents: 0, childrenNames: [] },
      { numberOfDependents: 12, childrenNames: [] },
      { numberOfDependents: 13, childrenNames: [] },
      { numberOfDependents: -1, childrenNames: [] },
      { numberOfDependents: 1.5, childrenNames: [] },
      { numberOfDependents: Number.NaN, childrenNames: [] },
      { numberOfDependents: "two", childrenNames: [""] },
      { numberOfDependents: 1, childrenNames: ["Ada", "Byron"] },
      { numberOfDependents: 1, childrenNames: ["Ada"] },
      { numberOfDependents: 12, childrenNames: Array.from({ length: 13 }, (_, i) => `Child ${i}`) },
      { numberOfDependents: 2, childrenNames: ["", long(101)] },
      { numberOfDependents: 2, spouseName: long(101), childrenNames: [] },
      { numberOfDependents: 2, spouseName: 7, childrenNames: [3] },
      { numberOfDependents: 2, childrenNames: "Ada" },
      { numberOfDependents: 2 },
      {},
      { ...valid, pets: 2 },
      ...notObjects,
    ]);
  });
});
