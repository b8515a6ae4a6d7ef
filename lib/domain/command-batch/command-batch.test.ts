import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { batchProgress, itemVerdict } from ".";

describe("a command batch's item verdict", () => {
  it("a decision that went through is done, with the quote's status and version", () => {
    assert.deepEqual(itemVerdict({ ok: true, value: { status: "approved", version: 7 } }), { status: "done", outcome: "approved", version: 7 });
  });

  it("the quote's own refusal is reported with its code and message", () => {
    assert.deepEqual(itemVerdict({ ok: false, error: { kind: "domain", code: "QuoteAlreadyDecided", detail: "already approved" } }), { status: "refused", outcome: "QuoteAlreadyDecided", message: "already approved" });
    assert.deepEqual(itemVerdict({ ok: false, error: { kind: "not_found", detail: "No such quote." } }), { status: "refused", outcome: "QuoteNotFound", message: "No such quote." });
  });

  it("a lost race or an outage is tried again, not held against the quote", () => {
    assert.equal(itemVerdict({ ok: false, error: { kind: "conflict", code: "VersionConflict", detail: "raced" } }).status, "retry");
    assert.equal(itemVerdict({ ok: false, error: { kind: "unavailable", detail: "down" } }).status, "retry");
  });
});

describe("a command batch's progress", () => {
  it("is queued until an item is taken, running while any waits, done when none does", () => {
    assert.equal(batchProgress([{ status: "pending", attempts: 0 }]).status, "queued");
    assert.equal(batchProgress([{ status: "pending", attempts: 1 }]).status, "running");
    assert.deepEqual(batchProgress([{ status: "done", attempts: 1 }, { status: "pending", attempts: 0 }]), { status: "running", total: 2, pending: 1, done: 1, refused: 0, failed: 0 });
    assert.deepEqual(batchProgress([{ status: "done", attempts: 1 }, { status: "refused", attempts: 1 }, { status: "failed", attempts: 5 }]), { status: "done", total: 3, pending: 0, done: 1, refused: 1, failed: 1 });
  });
});
