import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readFamilyForm, readFamilyIntent, readSubmission } from "./wizard-form-data";

const formData = (entries: Array<[string, string]>) => {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
};

describe("a wizard form posted without JavaScript", () => {
  it("reads the children's names in their order, whatever order the fields arrive in", () => {
    const values = readFamilyForm(
      formData([
        ["numberOfDependents", "2"],
        ["childrenNames.1.name", "Byron"],
        ["spouseName", "Grace"],
        ["childrenNames.0.name", "Ada"],
      ]),
    );
    assert.deepEqual(values, { numberOfDependents: "2", spouseName: "Grace", childrenNames: [{ name: "Ada" }, { name: "Byron" }] });
  });

  it("tells which button posted the family form", () => {
    assert.deepEqual(readFamilyIntent(formData([])), { kind: "save" });
    assert.deepEqual(readFamilyIntent(formData([["intent", "add-child"]])), { kind: "add-child" });
    assert.deepEqual(readFamilyIntent(formData([["intent", "remove-child:1"]])), { kind: "remove-child", index: 1 });
    assert.deepEqual(readFamilyIntent(formData([["intent", "remove-child:x"]])), { kind: "save" });
  });

  it("reads the hidden fields; a version that is not a whole number is left out", () => {
    const submission = readSubmission(formData([["quoteId", "q"], ["expectedVersion", "3"], ["fromReview", "true"]]));
    assert.deepEqual(submission, { quoteId: "q", expectedVersion: 3, fromReview: true });
    assert.equal(readSubmission(formData([["expectedVersion", "3.5"]])).expectedVersion, undefined);
  });
});
