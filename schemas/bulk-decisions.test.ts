import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bulkDecisionBodySchema } from "./bulk-decisions";

const id = "0b7e4c1a-3c1e-4a53-9a1f-2f7a4c9d1e10";

describe("the bulk decision body", () => {
  it("takes approve without a reason, and trims a reason given", () => {
    assert.deepEqual(bulkDecisionBodySchema.parse({ decision: "approve", quoteIds: [id] }), { decision: "approve", quoteIds: [id] });
    assert.deepEqual(bulkDecisionBodySchema.parse({ decision: "approve", quoteIds: [id], reason: "  ok " }).reason, "ok");
    assert.equal(bulkDecisionBodySchema.parse({ decision: "approve", quoteIds: [id], reason: "  " }).reason, undefined);
  });

  it("needs a reason to refer, as a single referral does", () => {
    const result = bulkDecisionBodySchema.safeParse({ decision: "refer", quoteIds: [id], reason: " " });
    assert.ok(!result.success);
    assert.deepEqual(result.error.issues.map((issue) => issue.path.join(".")), ["reason"]);
  });

  it("takes each quote once, in any case, and at most 100", () => {
    assert.ok(!bulkDecisionBodySchema.safeParse({ decision: "approve", quoteIds: [id, id.toUpperCase()] }).success);
    assert.ok(!bulkDecisionBodySchema.safeParse({ decision: "approve", quoteIds: [] }).success);
    assert.ok(!bulkDecisionBodySchema.safeParse({ decision: "reject", quoteIds: [id], reason: "x" }).success);
  });
});
