import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keepNewer, type CachedQuote } from "./quote-cache";

const quote = (version: number, extra: Partial<CachedQuote> = {}): CachedQuote => ({
  quoteId: "7d3f6a1e-0000-4000-8000-000000000001",
  version,
  status: "draft",
  geographicDetails: null,
  contactDetails: null,
  familyDetails: null,
  premium: null,
  validUntil: null,
  applicationNumber: null,
  applicationNumberStatus: "pending",
  stale: false,
  decision: null,
  personalDataErased: false,
  ...extra,
});

describe("keepNewer (the cache never goes back in time)", () => {
  it("takes a newer read", () => {
    const incoming = quote(3, { source: "server" });
    assert.equal(keepNewer(quote(2), incoming), incoming);
  });

  it("ignores a read older than what the browser has written", () => {
    const current = quote(5, { source: "local" });
    assert.equal(keepNewer(current, quote(4, { source: "server" })), current);
  });

  it("keeps answers still being saved when a read of the same version arrives", () => {
    const optimistic = quote(2, { optimistic: true, source: "local", contactDetails: { email: "a@example.com", phoneNumber: "5550100" } });
    assert.equal(keepNewer(optimistic, quote(2, { source: "server" })), optimistic);
  });

  it("always applies the browser's own writes, a rollback included", () => {
    const rollback = quote(2, { source: "local" });
    assert.equal(keepNewer(quote(2, { optimistic: true, source: "local" }), rollback), rollback);
  });
});
