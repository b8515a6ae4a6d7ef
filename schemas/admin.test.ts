import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addQuoteNoteBodySchema, assignQuoteBodySchema, funnelRangeSchema, newAgentSchema, parseQuoteListQueryLeniently, quoteListQuerySchema, quoteListSearchString, signInSchema } from "./admin";

describe("admin schemas", () => {
  it("reads the quote list's URL parameters with their defaults", () => {
    assert.deepEqual(quoteListQuerySchema.parse({}), { sort: "updatedAt", order: "desc", page: 1, pageSize: 20 });
    assert.deepEqual(quoteListQuerySchema.parse({ status: "submitted", search: " ada ", sort: "monthlyPremium", order: "asc", page: "3", pageSize: "50" }), {
      status: "submitted",
      search: "ada",
      sort: "monthlyPremium",
      order: "asc",
      page: 3,
      pageSize: 50,
    });
    assert.equal(quoteListQuerySchema.parse({ status: "", search: "" }).status, undefined, "an empty filter means all");
  });

  it("names each bad list parameter, and a page falls back to defaults instead", () => {
    const result = quoteListQuerySchema.safeParse({ status: "lost", page: "0", pageSize: "1000" });
    assert.equal(result.success, false);
    assert.deepEqual(result.error!.issues.map((i) => i.path[0]).sort(), ["page", "pageSize", "status"]);
    assert.deepEqual(parseQuoteListQueryLeniently({ status: "lost", page: "2" }), { sort: "updatedAt", order: "desc", page: 2, pageSize: 20 });
  });

  it("refuses a search with a control character (PostgreSQL's text cannot hold a NUL), naming the field", () => {
    for (const search of ["a\u0000b", "\u0011x", "tab\there"]) {
      const result = quoteListQuerySchema.safeParse({ search });
      assert.equal(result.success, false, JSON.stringify(search));
      assert.deepEqual(result.error!.issues.map((i) => [i.path[0], i.message]), [["search", "search must not contain control characters"]]);
    }
    assert.equal(parseQuoteListQueryLeniently({ search: "a\u0000b" }).search, undefined, "the page drops it");
    assert.equal(quoteListQuerySchema.parse({ search: "Åsa O'Brien-Smith" }).search, "Åsa O'Brien-Smith");
  });

  it("refuses an assignee that is not an agent's id (a NUL, a lone surrogate, a space), naming the field", () => {
    for (const agentId of ["\udae2\udc99\u0000", "a\u0000b", "agent 7", "", "x".repeat(101)]) {
      const result = assignQuoteBodySchema.safeParse({ agentId });
      assert.equal(result.success, false, JSON.stringify(agentId));
      assert.deepEqual(result.error!.issues.map((i) => [i.path[0], i.message]), [["agentId", "agentId must be an agent's id"]]);
    }
    assert.equal(assignQuoteBodySchema.parse({ agentId: " aB3_x-9 " }).agentId, "aB3_x-9");
    assert.deepEqual(assignQuoteBodySchema.parse({}), {});
  });

  it("refuses a note or an agent's name with a control character or half a surrogate pair, naming the field", () => {
    for (const bad of ["a\u0000b", "a\udc99b"]) {
      assert.deepEqual(addQuoteNoteBodySchema.safeParse({ note: bad }).error?.issues.map((i) => [i.path[0], i.message]), [["note", "Note must be plain text, without control characters"]]);
      assert.deepEqual(newAgentSchema.safeParse({ email: "a@example.com", name: bad, password: "a-long-password" }).error?.issues.map((i) => [i.path[0], i.message]), [["name", "Name must be plain text, without control characters"]]);
    }
    assert.equal(addQuoteNoteBodySchema.parse({ note: "Called back:\n\tno answer" }).note, "Called back:\n\tno answer");
  });

  it("writes short URLs that read back the same", () => {
    assert.equal(quoteListSearchString(quoteListQuerySchema.parse({})), "");
    const query = quoteListQuerySchema.parse({ status: "approved", search: "APP-2026", sort: "status", order: "asc", page: "2" });
    const text = quoteListSearchString(query);
    assert.equal(text, "?status=approved&search=APP-2026&sort=status&order=asc&page=2");
    assert.deepEqual(quoteListQuerySchema.parse(Object.fromEntries(new URLSearchParams(text))), query);
  });

  it("accepts a real date range of at most a year", () => {
    assert.ok(funnelRangeSchema.safeParse({ from: "2026-01-01", to: "2026-12-31" }).success);
    const messages = (raw: object) => funnelRangeSchema.safeParse(raw).error?.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    assert.deepEqual(messages({ from: "2026-02-30", to: "2026-03-01" }), ["from: The start date is not a real date"]);
    assert.deepEqual(messages({ from: "2026-03-02", to: "2026-03-01" }), ["to: The end date must be on or after the start date"]);
    assert.deepEqual(messages({ from: "2025-01-01", to: "2026-03-01" }), ["to: Choose a range of at most 366 days"]);
    assert.deepEqual(messages({ from: "1/2/2026", to: "2026-03-01" }), ["from: The start date must look like 2026-01-31"]);
  });

  it("normalises sign-in and new-agent input", () => {
    assert.deepEqual(signInSchema.parse({ email: " Dana@Example.COM ", password: "x" }), { email: "dana@example.com", password: "x" });
    assert.equal(signInSchema.safeParse({ email: "dana@example.com", password: "" }).error?.issues[0]?.message, "Enter your password");
    assert.equal(newAgentSchema.safeParse({ email: "a@example.com", name: "A", password: "short" }).error?.issues[0]?.message, "Password must be at least 12 characters");
    assert.equal(newAgentSchema.parse({ email: "a@example.com", name: " A ", password: "long-enough-pass" }).role, "agent");
  });
});
