import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FamilyDetails, GeographicDetails } from "../../schemas/quote";
import { familyDetailsSchema, geographicDetailsSchema } from "../../schemas/quote-pages";
import { applyServerErrors, schemaResolver } from "./schema-resolver";

const options = { fields: {}, shouldUseNativeValidation: false };

describe("schemaResolver (the browser's zod/mini schema in react-hook-form)", () => {
  it("returns the parsed, normalised values", async () => {
    const resolve = schemaResolver<Record<string, string>, GeographicDetails>(async () => geographicDetailsSchema);
    const result = await resolve({ country: "CA", state: "on", city: " Ottawa ", zipCode: "k1a0b1" }, undefined, options);
    assert.deepEqual(result.values, { country: "CA", state: "ON", city: "Ottawa", zipCode: "K1A 0B1" });
  });

  it("puts each message at its field, a child's at its input and the list's own at root", async () => {
    type Form = { numberOfDependents: string; childrenNames: Array<{ name: string }> };
    const resolve = schemaResolver<Form, FamilyDetails>(async () => familyDetailsSchema, {
      toInput: (v) => ({ numberOfDependents: Number(v.numberOfDependents), childrenNames: v.childrenNames.map((c) => c.name) }),
      toFieldPath: (path) => (path === "childrenNames" ? "childrenNames.root" : /^childrenNames\.\d+$/.test(path) ? `${path}.name` : path),
    });
    const bad = await resolve({ numberOfDependents: "x", childrenNames: [{ name: "" }] }, undefined, options);
    const errors = bad.errors as Record<string, unknown> & { childrenNames: Array<{ name: { message: string } }> };
    assert.match((errors.numberOfDependents as { message: string }).message, /as a number/);
    assert.match(errors.childrenNames[0]!.name.message, /Enter each child's name/);

    const tooMany = await resolve({ numberOfDependents: "1", childrenNames: [{ name: "Ada" }, { name: "Byron" }] }, undefined, options);
    const list = (tooMany.errors as { childrenNames: { root: { message: string } } }).childrenNames.root;
    assert.match(list.message, /You listed 2 children but 1 dependent/);
  });

  it("leaves the check to the server when the schema cannot be loaded", async () => {
    const resolve = schemaResolver<Record<string, string>, GeographicDetails>(() => Promise.reject(new Error("offline")));
    const result = await resolve({ country: "US", state: "", city: "", zipCode: "" }, undefined, options);
    assert.deepEqual(result, { values: { country: "US", state: "", city: "", zipCode: "" }, errors: {} });
  });
});

describe("applyServerErrors", () => {
  it("sets every error and focuses the first field in page order; unknown fields are returned", () => {
    const calls: Array<[string, string, boolean | undefined]> = [];
    const unplaced = applyServerErrors(
      ((name: string, error: { message: string }, opts?: { shouldFocus?: boolean }) => calls.push([name, error.message, opts?.shouldFocus])) as never,
      [
        { path: "zipCode", message: "bad zip" },
        { path: "city", message: "no city" },
        { path: "", message: "whole form" },
        { path: "nickname", message: "Unknown field" },
      ],
      ["country", "state", "city", "zipCode"],
    );
    assert.deepEqual(calls, [
      ["city", "no city", true],
      ["zipCode", "bad zip", false],
    ]);
    assert.deepEqual(unplaced, ["whole form", "Unknown field"]);
  });
});
