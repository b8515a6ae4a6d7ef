import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { funnelRows } from "./funnel-chart";

describe("funnel rows", () => {
  it("counts each step, the drop-off before it and its share of started quotes", () => {
    const rows = funnelRows({ started: 10, geographic: 8, contact: 8, family: 5, submitted: 4, expired: 2, requoted: 1 });
    assert.deepEqual(
      rows.map((r) => [r.label, r.reached, r.droppedBefore, r.dropShare, r.ofStarted]),
      [
        ["Started", 10, null, null, "100%"],
        ["Location details", 8, 2, "20%", "80%"],
        ["Contact details", 8, 0, "0%", "80%"],
        ["Family details", 5, 3, "38%", "50%"],
        ["Submitted", 4, 1, "20%", "40%"],
        ["Expired", 2, null, null, "20%"],
        ["Started again", 1, null, null, "10%"],
      ],
    );
  });

  it("never shows a negative drop-off (a quote started before the range can reach a later step inside it), nor divides by zero", () => {
    const rows = funnelRows({ started: 0, geographic: 0, contact: 0, family: 1, submitted: 2, expired: 0, requoted: 0 });
    assert.equal(rows[4]!.droppedBefore, 0);
    assert.equal(rows[0]!.ofStarted, "—");
    assert.equal(rows[1]!.dropShare, "—");
  });
});
