import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { services } from "../services";
import { CLIENT_ADDRESS_HEADER } from "./client-address";
import { capture, getQuote, jsonRequest, startQuoteOverHttp, submitQuote, validDetails } from "./testing/quote-api-client";
import * as quotesRoute from "../../app/api/quotes/route";

after(() => prisma().$disconnect());

const eventCount = (quoteId: string) => prisma().storedEvent.count({ where: { streamId: quoteId } });
const key = () => `key-${randomUUID()}`;
type Problem = { status: number; detail: string; code?: string; errors?: unknown[] };

describe("Idempotency-Key, attacked", () => {
  it("a second caller who reuses someone's StartQuote key gets a quote of their own, never the first caller's token", async () => {
    const shared = key();
    const victim = await startQuoteOverHttp({ "idempotency-key": shared, [CLIENT_ADDRESS_HEADER]: "198.51.100.7" });
    assert.equal(victim.res.status, 201);
    const attacker = await startQuoteOverHttp({ "idempotency-key": shared, [CLIENT_ADDRESS_HEADER]: "203.0.113.9" });
    assert.equal(attacker.res.status, 201);
    assert.notEqual(attacker.quoteId, victim.quoteId);
    assert.notEqual(attacker.accessToken, victim.accessToken);
    assert.doesNotMatch(attacker.res.headers.get("set-cookie") ?? "", new RegExp(victim.accessToken));
  });

  it("a repeat from the same caller without the token learns nothing; with the token it gets the first answer back", async () => {
    const repeated = key();
    const address = { [CLIENT_ADDRESS_HEADER]: "198.51.100.8" };
    const first = await startQuoteOverHttp({ "idempotency-key": repeated, ...address });
    const blind = await quotesRoute.POST(jsonRequest("/api/quotes", "POST", undefined, { "idempotency-key": repeated, ...address }));
    assert.equal(blind.status, 409);
    const text = await blind.text();
    assert.equal((JSON.parse(text) as Problem).code, "IdempotencyKeyUsed");
    assert.ok(!text.includes(first.accessToken) && !text.includes(first.quoteId), "neither the token nor the quote id");
    assert.equal(blind.headers.get("set-cookie"), null);

    const proven = await startQuoteOverHttp({ "idempotency-key": repeated, ...address, authorization: `Bearer ${first.accessToken}` });
    assert.equal(proven.res.status, 201);
    assert.equal(proven.quoteId, first.quoteId);
    assert.equal(proven.accessToken, first.accessToken);
  });

  it("no access token is stored in plain text: not in idempotency records, not in the access table", async () => {
    const started = await startQuoteOverHttp({ "idempotency-key": key() });
    const records = await prisma().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM idempotency_records WHERE response::text LIKE ${`%${started.accessToken}%`}`;
    assert.equal(Number(records[0]!.n), 0);
    const tokens = await prisma().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM quote_access_tokens WHERE token_hash = ${started.accessToken}`;
    assert.equal(Number(tokens[0]!.n), 0);
  });

  it("a key first used on quote A, reused on quote B: B's save lands and A's answer is not leaked", async () => {
    const a = await startQuoteOverHttp();
    const b = await startQuoteOverHttp();
    const reused = key();
    const onA = await capture("contact", a.quoteId, validDetails.contact, { ...a.auth, "idempotency-key": reused });
    assert.equal(onA.status, 200);
    const onB = await capture("contact", b.quoteId, validDetails.contact, { ...b.auth, "idempotency-key": reused });
    assert.equal(onB.status, 200);
    const body = (await onB.json()) as { quoteId: string; version: number };
    assert.equal(body.quoteId, b.quoteId);
    assert.equal(await eventCount(b.quoteId), 2, "B's save was appended");
    assert.equal(await eventCount(a.quoteId), 2);
  });

  it("the same key with a different body is 422 problem+json, and nothing is appended", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    const same = key();
    assert.equal((await capture("contact", quoteId, validDetails.contact, { ...auth, "idempotency-key": same })).status, 200);
    const other = await capture("contact", quoteId, { ...validDetails.contact, email: "someone.else@example.com" }, { ...auth, "idempotency-key": same });
    assert.equal(other.status, 422);
    assert.equal(other.headers.get("content-type"), "application/problem+json");
    assert.equal(((await other.json()) as Problem).code, "IdempotencyKeyReused");
    const again = await capture("contact", quoteId, validDetails.contact, { ...auth, "idempotency-key": same });
    assert.equal(again.status, 200, "the same request with the same key still replays");
    assert.equal(await eventCount(quoteId), 2);
  });

  it("records expire: an expired key runs the command again, and the worker's clean-up deletes expired records", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    const expiring = key();
    assert.equal((await capture("contact", quoteId, validDetails.contact, { ...auth, "idempotency-key": expiring })).status, 200);
    await prisma().idempotencyRecord.updateMany({ where: { scope: `quote:${quoteId}`, key: expiring }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    assert.equal((await capture("contact", quoteId, validDetails.contact, { ...auth, "idempotency-key": expiring })).status, 200);
    assert.equal(await eventCount(quoteId), 3, "the expired key no longer held the repeat back");

    await prisma().idempotencyRecord.updateMany({ where: { scope: `quote:${quoteId}` }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    assert.ok((await services().store.deleteExpiredIdempotencyRecords()) >= 1);
    assert.equal(await prisma().idempotencyRecord.count({ where: { scope: `quote:${quoteId}` } }), 0);
  });
});

describe("access is checked before anything else", () => {
  it("a wrong token with a bad body is 404, with no field errors", async () => {
    const mine = await startQuoteOverHttp();
    const theirs = await startQuoteOverHttp();
    const res = await capture("family", mine.quoteId, { numberOfDependents: "lots", sneaky: true }, theirs.auth);
    assert.equal(res.status, 404);
    const problem = (await res.json()) as Problem;
    assert.equal(problem.errors, undefined);
    assert.doesNotMatch(problem.detail, /numberOfDependents|sneaky/);
  });

  it("no token and a bad body, or a malformed quote id: 404 either way", async () => {
    const { quoteId } = await startQuoteOverHttp();
    assert.equal((await capture("contact", quoteId, { email: 42 })).status, 404);
    assert.equal((await capture("contact", "not-a-uuid", validDetails.contact)).status, 404);
    assert.equal((await submitQuote(quoteId, { authorization: "Bearer x" })).status, 404);
    assert.equal((await getQuote(quoteId, { authorization: `Bearer ${"A".repeat(43)}` })).status, 404);
    assert.equal((await getQuote(quoteId, { cookie: `quote_access_${quoteId}=%E0%A4%A` })).status, 404, "a cookie with a broken %-escape is no token, not a 500");
    assert.equal((await capture("contact", quoteId, validDetails.contact, { cookie: `quote_access_${quoteId}=%` })).status, 404);
  });

  it("the rightful customer still gets each field's error", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    const res = await capture("family", quoteId, { numberOfDependents: "lots", childrenNames: [] }, auth);
    assert.equal(res.status, 400);
    assert.ok(((await res.json()) as { errors: Array<{ path: string }> }).errors.some((e) => e.path === "numberOfDependents"));
  });
});
