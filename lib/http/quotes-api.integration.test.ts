import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { drainProjector } from "../projections/testing/drain";
import { capture, getQuote, jsonRequest, startQuoteOverHttp, submitQuote, validDetails } from "./testing/quote-api-client";
import * as geographicRoute from "../../app/api/quotes/[quoteId]/geographic-details/route";

after(() => prisma().$disconnect());

const eventCount = (quoteId: string) => prisma().storedEvent.count({ where: { streamId: quoteId } });
type Problem = { status: number; title: string; detail: string; errors?: Array<{ path: string; message: string }> };

describe("quotes HTTP API", () => {
  it("starts a quote: 201 with id, version and access token, and the token as an httpOnly cookie", async () => {
    const { res, quoteId, version, accessToken } = await startQuoteOverHttp();
    assert.equal(res.status, 201);
    assert.match(quoteId, /^[0-9a-f-]{36}$/);
    assert.equal(version, 1);
    assert.ok(accessToken.length >= 40);
    const cookie = res.headers.get("set-cookie") ?? "";
    assert.match(cookie, new RegExp(`^quote_access_${quoteId}=${accessToken};`));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const scheduled = await prisma().scheduledCommand.findMany({ where: { streamId: quoteId }, orderBy: { type: "asc" } });
    assert.deepEqual(scheduled.map((c) => c.type), ["ApplyDataRetention", "RequestApplicationNumber"], "the application number and the draft's erasure are queued durably, in the same transaction");
  });

  it("drives a quote through every page to submitted, with the premium and its breakdown", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    for (const page of ["geographic", "contact", "family"] as const) {
      const res = await capture(page, quoteId, validDetails[page], auth);
      assert.equal(res.status, 200, await res.clone().text());
    }
    const submitted = await submitQuote(quoteId, auth);
    assert.equal(submitted.status, 200);
    const body = (await submitted.json()) as { status: string; version: number; premium: { monthly: number; breakdown: unknown[] } };
    assert.equal(body.status, "submitted");
    assert.equal(body.version, 5);
    assert.ok(body.premium.monthly > 0);
    assert.ok(body.premium.breakdown.length >= 2);

    await drainProjector();
    const view = (await (await getQuote(quoteId, auth)).json()) as Record<string, unknown>;
    assert.equal(view.status, "submitted");
    assert.deepEqual(view.contactDetails, validDetails.contact);
    assert.equal(view.applicationNumber, null);
  });

  it("a quote cannot be read or changed without its own token: 404, never another customer's quote", async () => {
    const mine = await startQuoteOverHttp();
    const theirs = await startQuoteOverHttp();
    assert.equal((await getQuote(mine.quoteId)).status, 404);
    assert.equal((await getQuote(mine.quoteId, theirs.auth)).status, 404);
    assert.equal((await capture("contact", mine.quoteId, validDetails.contact, theirs.auth)).status, 404);
    await drainProjector();
    assert.equal((await getQuote(mine.quoteId, { cookie: `quote_access_${mine.quoteId}=${mine.accessToken}` })).status, 200);
    assert.equal(await eventCount(mine.quoteId), 1);
  });

  describe("bad input: 4xx problem+json naming the field, and nothing appended", () => {
    const cases: Array<[string, (quoteId: string, auth: Record<string, string>) => Promise<Response>, number, string | null]> = [
      ["malformed JSON", (id, auth) => capture("contact", id, "{not json", auth), 400, ""],
      ["a wrong type", (id, auth) => capture("family", id, { numberOfDependents: "two", childrenNames: [] }, auth), 400, "numberOfDependents"],
      ["an invalid email", (id, auth) => capture("contact", id, { email: "nope", phoneNumber: "+1 415 555 0100" }, auth), 400, "email"],
      ["a ZIP code that does not fit the country", (id, auth) => capture("geographic", id, { ...validDetails.geographic, zipCode: "ABC" }, auth), 400, "zipCode"],
      ["an unknown field", (id, auth) => capture("contact", id, { ...validDetails.contact, admin: true }, auth), 400, ""],
      ["an oversize body", (id, auth) => capture("contact", id, { ...validDetails.contact, padding: "x".repeat(20_000) }, auth), 413, null],
      ["a body that is not JSON", (id, auth) => geographicRoute.PUT(jsonRequest(`/api/quotes/${id}/geographic-details`, "PUT", "country=US", { ...auth, "content-type": "text/plain" }), { params: Promise.resolve({ quoteId: id }) }), 400, ""],
      ["a bad If-Match", (id, auth) => capture("contact", id, validDetails.contact, { ...auth, "if-match": "three" }), 400, "header.If-Match"],
      ["submitting before every page is captured", (id, auth) => submitQuote(id, auth), 409, null],
    ];
    for (const [name, send, status, path] of cases) {
      it(name, async () => {
        const { quoteId, auth } = await startQuoteOverHttp();
        const res = await send(quoteId, auth);
        assert.equal(res.status, status);
        assert.equal(res.headers.get("content-type"), "application/problem+json");
        const problem = (await res.json()) as Problem;
        assert.equal(problem.status, status);
        assert.ok(problem.title && problem.detail, "title and detail");
        if (path !== null) assert.ok(problem.errors?.some((e) => e.path === path), `an error at "${path}": ${JSON.stringify(problem.errors)}`);
        assert.equal(await eventCount(quoteId), 1, "nothing appended");
      });
    }

    it("an unknown or malformed quote id is 404: a token opens only its own quote", async () => {
      const { auth } = await startQuoteOverHttp();
      assert.equal((await capture("contact", randomUUID(), validDetails.contact, auth)).status, 404);
      assert.equal((await capture("contact", "not-a-uuid", validDetails.contact, auth)).status, 404);
    });

    it("submitting an incomplete quote says which pages are missing", async () => {
      const { quoteId, auth } = await startQuoteOverHttp();
      await capture("contact", quoteId, validDetails.contact, auth);
      const problem = (await (await submitQuote(quoteId, auth)).json()) as Problem & { missing: string[] };
      assert.deepEqual([...problem.missing].sort(), ["familyDetails", "geographicDetails"]);
    });
  });

  it("two concurrent saves of one page at one version: exactly one succeeds, the other gets 412 with its answers, and the stream has no gap", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    const other = { ...validDetails.contact, email: "someone.else@example.com" };
    const results = await Promise.all([
      capture("contact", quoteId, validDetails.contact, { ...auth, "if-match": '"1"' }),
      capture("contact", quoteId, other, { ...auth, "if-match": '"1"' }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 412]);
    const winner = results[0]!.status === 200 ? validDetails.contact : other;
    const loser = (await results.find((r) => r.status === 412)!.json()) as Problem & { latest: { contactDetails: unknown } };
    assert.deepEqual(loser.latest.contactDetails, winner, "the loser is shown the answers that won");
    const versions = (await prisma().storedEvent.findMany({ where: { streamId: quoteId }, orderBy: { version: "asc" } })).map((e) => e.version);
    assert.deepEqual(versions, [1, 2]);
  });

  it("two concurrent saves of different pages at one version both land: neither changed what the other was based on", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    const results = await Promise.all([
      capture("contact", quoteId, validDetails.contact, { ...auth, "if-match": '"1"' }),
      capture("geographic", quoteId, validDetails.geographic, { ...auth, "if-match": '"1"' }),
    ]);
    assert.deepEqual(results.map((r) => r.status), [200, 200]);
    const versions = (await prisma().storedEvent.findMany({ where: { streamId: quoteId }, orderBy: { version: "asc" } })).map((e) => e.version);
    assert.deepEqual(versions, [1, 2, 3]);
  });

  it("two concurrent writes without If-Match both land, one after the other (the loser reads again and decides again)", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    const results = await Promise.all([capture("contact", quoteId, validDetails.contact, auth), capture("geographic", quoteId, validDetails.geographic, auth)]);
    assert.deepEqual(results.map((r) => r.status), [200, 200]);
    const versions = (await prisma().storedEvent.findMany({ where: { streamId: quoteId }, orderBy: { version: "asc" } })).map((e) => e.version);
    assert.deepEqual(versions, [1, 2, 3]);
  });

  it("a stale If-Match gets 412 with the current version", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    await capture("contact", quoteId, validDetails.contact, auth);
    const stale = await capture("contact", quoteId, validDetails.contact, { ...auth, "if-match": '"1"' });
    assert.equal(stale.status, 412);
    assert.equal(stale.headers.get("etag"), '"2"');
    assert.equal(await eventCount(quoteId), 2);
  });

  it("a repeated Idempotency-Key returns the first response and appends nothing, even when the repeats race", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    const headers = { ...auth, "idempotency-key": `key-${randomUUID()}` };
    const responses = await Promise.all([1, 2, 3].map(() => capture("contact", quoteId, validDetails.contact, headers)));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200]);
    assert.deepEqual(bodies, [bodies[0], bodies[0], bodies[0]]);
    assert.equal(await eventCount(quoteId), 2);
  });
});
