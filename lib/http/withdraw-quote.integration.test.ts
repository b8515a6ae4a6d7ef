import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { drainProjector } from "../projections/testing/drain";
import { newUser, signIn } from "../auth/testing/agents";
import { capture, getQuote, jsonRequest, startQuoteOverHttp, submitQuote, validDetails, withdrawQuote } from "./testing/quote-api-client";
import * as adminList from "../../app/api/admin/quotes/route";
import * as adminQuote from "../../app/api/admin/quotes/[quoteId]/route";
import * as approveRoute from "../../app/api/admin/quotes/[quoteId]/approve/route";
import * as rejectRoute from "../../app/api/admin/quotes/[quoteId]/reject/route";

after(() => prisma().$disconnect());

type Problem = { status: number; title: string; detail: string; code?: string };
const params = (quoteId: string) => ({ params: Promise.resolve({ quoteId }) });
const eventTypes = async (quoteId: string) =>
  (await prisma().storedEvent.findMany({ where: { streamId: quoteId }, orderBy: { version: "asc" } })).map((e) => e.type);

async function submittedQuote() {
  const started = await startQuoteOverHttp();
  for (const page of ["geographic", "contact", "family"] as const) assert.equal((await capture(page, started.quoteId, validDetails[page], started.auth)).status, 200);
  assert.equal((await submitQuote(started.quoteId, started.auth)).status, 200);
  return started;
}

describe("withdrawing a quote over HTTP: POST /api/quotes/{id}/cancel", () => {
  let agentCookie = "";
  const agent = () => ({ cookie: agentCookie, origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" });
  before(async () => {
    agentCookie = await signIn((await newUser()).email);
  });

  it("withdraws a draft: 200 with status cancelled, and the read model and timeline show it withdrawn", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    await capture("contact", quoteId, validDetails.contact, auth);
    const res = await withdrawQuote(quoteId, auth);
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { quoteId, version: 3, status: "cancelled" });
    assert.equal(res.headers.get("etag"), '"3"');
    assert.deepEqual(await eventTypes(quoteId), ["QuoteStarted", "ContactDetailsCaptured", "QuoteCancelled"]);

    await drainProjector();
    const view = (await (await getQuote(quoteId, auth)).json()) as { status: string; contactDetails: unknown };
    assert.equal(view.status, "cancelled");
    assert.deepEqual(view.contactDetails, validDetails.contact, "a withdrawn quote keeps its answers");

    const listed = (await (await adminList.GET(jsonRequest(`/api/admin/quotes?status=cancelled&pageSize=100`, "GET", undefined, agent()))).json()) as { items: Array<{ quoteId: string; status: string }> };
    assert.equal(listed.items.find((item) => item.quoteId === quoteId)?.status, "cancelled", "agents' list filtered by withdrawn has it");
    const details = (await (await adminQuote.GET(jsonRequest(`/api/admin/quotes/${quoteId}`, "GET", undefined, agent()), params(quoteId))).json()) as { status: string; timeline: Array<{ type: string; summary: string; actor: { kind: string } }> };
    assert.equal(details.status, "cancelled");
    const last = details.timeline.at(-1)!;
    assert.deepEqual([last.type, last.summary, last.actor.kind], ["QuoteCancelled", "Withdrawn by the customer", "customer"]);
  });

  it("withdraws a submitted quote; then no page can be saved and no agent can approve or reject it, each saying why", async () => {
    const { quoteId, auth } = await submittedQuote();
    assert.equal((await withdrawQuote(quoteId, auth)).status, 200);

    const save = await capture("contact", quoteId, validDetails.contact, auth);
    assert.equal(save.status, 409);
    assert.match(((await save.json()) as Problem).detail, /withdrawn by the customer, so it can't be changed/);

    const approve = await approveRoute.POST(jsonRequest(`/api/admin/quotes/${quoteId}/approve`, "POST", {}, agent()), params(quoteId));
    assert.equal(approve.status, 409);
    const problem = (await approve.json()) as Problem;
    assert.equal(problem.code, "QuoteCancelled");
    assert.equal(problem.detail, "This quote has been withdrawn by the customer, so it can't be approved.");
    const reject = await rejectRoute.POST(jsonRequest(`/api/admin/quotes/${quoteId}/reject`, "POST", { reason: "Too late" }, agent()), params(quoteId));
    assert.equal(reject.status, 409);

    const again = await withdrawQuote(quoteId, auth);
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as Problem).detail, "This quote has already been withdrawn.");
    assert.equal((await eventTypes(quoteId)).filter((type) => type === "QuoteCancelled").length, 1);
  });

  it("another customer's token cannot withdraw it: 404, and nothing is appended", async () => {
    const mine = await startQuoteOverHttp();
    const theirs = await startQuoteOverHttp();
    const res = await withdrawQuote(mine.quoteId, theirs.auth);
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    assert.equal((await withdrawQuote(mine.quoteId)).status, 404, "nor no token at all");
    assert.equal((await withdrawQuote(randomUUID(), theirs.auth)).status, 404);
    assert.deepEqual(await eventTypes(mine.quoteId), ["QuoteStarted"]);
  });

  it("an approved quote cannot be withdrawn: 409 QuoteAlreadyDecided naming the decision", async () => {
    const { quoteId, auth } = await submittedQuote();
    const approve = await approveRoute.POST(jsonRequest(`/api/admin/quotes/${quoteId}/approve`, "POST", {}, agent()), params(quoteId));
    assert.equal(approve.status, 200, await approve.clone().text());
    const res = await withdrawQuote(quoteId, auth);
    assert.equal(res.status, 409);
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    const problem = (await res.json()) as Problem;
    assert.equal(problem.code, "QuoteAlreadyDecided");
    assert.equal(problem.detail, "This quote has already been approved, so it can't be withdrawn.");
    assert.equal((await eventTypes(quoteId)).at(-1), "QuoteApproved");
  });

  it("a repeat with the same Idempotency-Key answers as the first did and withdraws once", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    const headers = { ...auth, "idempotency-key": `withdraw-${randomUUID()}` };
    const first = await withdrawQuote(quoteId, headers);
    const repeat = await withdrawQuote(quoteId, headers);
    assert.deepEqual([first.status, repeat.status], [200, 200]);
    assert.deepEqual(await repeat.json(), await first.json());
    const withoutKey = await withdrawQuote(quoteId, auth);
    assert.equal(withoutKey.status, 409, "a new request (no key) is judged again: already withdrawn");
    assert.deepEqual(await eventTypes(quoteId), ["QuoteStarted", "QuoteCancelled"]);
  });

  it("takes no body and answers only POST", async () => {
    const route = await import("../../app/api/quotes/[quoteId]/cancel/route");
    assert.deepEqual(Object.keys(route).filter((name) => /^[A-Z]+$/.test(name)), ["POST"], "Next answers 405 with Allow: POST to any other method");
  });
});
