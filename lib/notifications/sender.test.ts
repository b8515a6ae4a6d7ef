import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { numberCheckDelayMs } from "./sender";

const WAIT = 10 * 60_000;

describe("an email waiting for the application number", () => {
  it("looks again after a second while the wait is young", () => {
    assert.equal(numberCheckDelayMs(0, WAIT), 1_000);
    assert.equal(numberCheckDelayMs(3_000, WAIT), 1_000);
  });

  it("looks less often the longer it has waited, at most every 30 s", () => {
    assert.equal(numberCheckDelayMs(20_000, WAIT), 5_000);
    assert.equal(numberCheckDelayMs(5 * 60_000, WAIT), 30_000);
  });

  it("never looks later than the end of its wait", () => {
    assert.equal(numberCheckDelayMs(WAIT - 2_000, WAIT), 2_000);
    assert.equal(numberCheckDelayMs(WAIT + 5_000, WAIT), 0);
  });
});
