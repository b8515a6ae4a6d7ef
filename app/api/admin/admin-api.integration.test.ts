// The agent API, called in-process with real Requests: session checks first, problem+json, nothing half-written.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { prisma } from "@/lib/db/prisma";
import { capture, startQuoteOverHttp, submitQuote, validDetails } from "@/lib/http/testing/quote-api-client";
import { newUser, signIn } from "@/lib/auth/testing/agents";
import * as list from "./quotes/route";
import * as details from "./quotes/[quoteId]/route";
import * as approve from "./quotes/[quoteId]/approve/route";
import * as reject from "./quotes/[quoteId]/reject/route";
import * as refer from "./quotes/[quoteId]/refer/route";
import * as applicationNumber from "./quotes/[quoteId]/application-number/route";
import * as funnel from "./funnel/route";

after(() => prisma().$disconnect());

const base = "http://127.0.0.1:3000";
const params = (quoteId: string) => ({ params: Promise.resolve({ quoteId }) });
type Problem = { status: number; title: string; detail: string; errors?: Array<{ path: string; message: string }> };

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(`${base}${path}`, {
    method: "POST",
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const get = (path: string, headers: Record<string, string> = {}) => new Request(`${base}${path}`, { headers });

async function submittedQuote() {
  const { quoteId, auth } = await startQuoteOverHttp();
  for (const page of ["geographic", "contact", "family"] as const) await capture(page, quoteId, validDetails[page], auth);
  assert.equal((await submitQuote(quoteId, auth)).status, 200);
  return quoteId;
}
const decisionEvents = (quoteId: string) => prisma().storedEvent.findMany({ where: { streamId: quoteId, type: { in: ["QuoteApproved", "QuoteRejected", "QuoteReferred"] } } });

describe("agent API", () => {
  let agentCookie: string;
  let agentId: string;
  let viewerCookie: string;

  before(async () => {
    const agent = await newUser();
    agentId = agent.id;
    agentCookie = await signIn(agent.email);
    viewerCookie = await signIn((await newUser("viewer")).email);
  });

  it("refuses every route without a session (401) and for a user who is not an agent (403), changing nothing", async () => {
    const quoteId = await submittedQuote();
    const calls: Array<[string, (headers: Record<string, string>) => Promise<Response>]> = [
      ["GET list", (h) => list.GET(get("/api/admin/quotes", h))],
      ["GET details", (h) => details.GET(get(`/api/admin/quotes/${quoteId}`, h), params(quoteId))],
      ["POST approve", (h) => approve.POST(post(`/api/admin/quotes/${quoteId}/approve`, {}, h), params(quoteId))],
      ["POST reject", (h) => reject.POST(post(`/api/admin/quotes/${quoteId}/reject`, { reason: "No" }, h), params(quoteId))],
      ["POST refer", (h) => refer.POST(post(`/api/admin/quotes/${quoteId}/refer`, { reason: "Check" }, h), params(quoteId))],
      ["POST application number", (h) => applicationNumber.POST(post(`/api/admin/quotes/${quoteId}/application-number`, undefined, h), params(quoteId))],
      ["GET funnel", (h) => funnel.GET(get("/api/admin/funnel", h))],
    ];
    for (const [name, call] of calls) {
      for (const [who, headers, status] of [
        ["no session", {}, 401],
        ["a forged cookie", { cookie: "better-auth.session_token=forged" }, 401],
        ["a viewer", { cookie: viewerCookie }, 403],
      ] as const) {
        const res = await call(headers);
        assert.equal(res.status, status, `${name} with ${who}`);
        assert.equal(res.headers.get("content-type"), "application/problem+json", `${name} with ${who}`);
        const problem = (await res.json()) as Problem;
        assert.equal(problem.status, status);
        assert.ok(problem.detail);
      }
    }
    assert.equal((await decisionEvents(quoteId)).length, 0, "no decision recorded");
    assert.equal(await prisma().storedEvent.count({ where: { streamId: quoteId } }), 5, "nothing appended at all");
  });

  it("an agent approves a submitted quote; the event records the agent; a second decision is refused with the reason", async () => {
    const quoteId = await submittedQuote();
    const res = await approve.POST(post(`/api/admin/quotes/${quoteId}/approve`, { reason: "Looks good" }, { cookie: agentCookie }), params(quoteId));
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { quoteId, version: 6, status: "approved" });
    assert.equal(res.headers.get("etag"), '"6"');
    const [event] = await decisionEvents(quoteId);
    assert.equal(event?.type, "QuoteApproved");
    assert.deepEqual(event?.actor, { kind: "agent", agentId });
    assert.deepEqual(event?.data, { reason: "Looks good", agentId });

    const second = await reject.POST(post(`/api/admin/quotes/${quoteId}/reject`, { reason: "Changed my mind" }, { cookie: agentCookie }), params(quoteId));
    assert.equal(second.status, 409);
    const problem = (await second.json()) as Problem & { code: string };
    assert.equal(problem.code, "QuoteAlreadyDecided");
    assert.equal(problem.detail, "This quote has already been approved, so it can't be rejected.");
    assert.equal((await decisionEvents(quoteId)).length, 1);
  });

  it("reject and refer need a reason: 400 at the field, nothing appended", async () => {
    const quoteId = await submittedQuote();
    for (const [route, name, body] of [
      [reject, "reject", {}],
      [reject, "reject", { reason: "   " }],
      [refer, "refer", { reason: "" }],
    ] as const) {
      const res = await route.POST(post(`/api/admin/quotes/${quoteId}/${name}`, body, { cookie: agentCookie }), params(quoteId));
      assert.equal(res.status, 400);
      const problem = (await res.json()) as Problem;
      assert.ok(problem.errors?.some((e) => e.path === "reason" && /Enter a reason for (rejecting|referring) this quote/.test(e.message)), JSON.stringify(problem));
    }
    assert.equal((await decisionEvents(quoteId)).length, 0);
  });

  it("two agents deciding at the same moment: one decision wins, the other is told why", async () => {
    const quoteId = await submittedQuote();
    const other = await signIn((await newUser()).email);
    const [a, b] = await Promise.all([
      approve.POST(post(`/api/admin/quotes/${quoteId}/approve`, {}, { cookie: agentCookie }), params(quoteId)),
      reject.POST(post(`/api/admin/quotes/${quoteId}/reject`, { reason: "Too risky" }, { cookie: other }), params(quoteId)),
    ]);
    const statuses = [a.status, b.status].sort();
    assert.deepEqual(statuses, [200, 409]);
    const loser = (a.status === 409 ? await a.json() : await b.json()) as Problem & { code: string };
    assert.equal(loser.code, "QuoteAlreadyDecided", "the loser gets the domain's reason, not a bare version conflict");
    assert.match(loser.detail, /already been (approved|rejected), so it can't be (approved|rejected)/);
    assert.equal((await decisionEvents(quoteId)).length, 1);
  });

  it("If-Match with a stale version is 412 and is not retried", async () => {
    const quoteId = await submittedQuote();
    const res = await approve.POST(post(`/api/admin/quotes/${quoteId}/approve`, {}, { cookie: agentCookie, "if-match": '"2"' }), params(quoteId));
    assert.equal(res.status, 412);
    assert.equal(res.headers.get("etag"), '"5"');
  });

  it("bad list parameters are 400 naming each one", async () => {
    const res = await list.GET(get("/api/admin/quotes?status=lost&pageSize=1000", { cookie: agentCookie }));
    assert.equal(res.status, 400);
    const problem = (await res.json()) as Problem;
    assert.deepEqual(problem.errors?.map((e) => e.path).sort(), ["pageSize", "status"]);
    const ok = await list.GET(get("/api/admin/quotes?status=submitted&sort=createdAt&order=asc", { cookie: agentCookie }));
    assert.equal(ok.status, 200, await ok.clone().text());
    const body = (await ok.json()) as { items: unknown[]; page: number; pageSize: number };
    assert.equal(body.page, 1);
    assert.equal(body.pageSize, 20);
  });

  it("a state-changing call from another site is refused before the session is used", async () => {
    const quoteId = await submittedQuote();
    const res = await approve.POST(post(`/api/admin/quotes/${quoteId}/approve`, {}, { cookie: agentCookie, origin: "https://evil.example", host: "127.0.0.1:3000" }), params(quoteId));
    assert.equal(res.status, 403);
    assert.equal((await decisionEvents(quoteId)).length, 0);
  });
});

describe("retry application number", () => {
  it("queues a new request for the worker: 202, and the command is stored", async () => {
    const agent = await newUser();
    const cookie = await signIn(agent.email);
    const quoteId = await submittedQuote();
    const before = await prisma().scheduledCommand.count({ where: { streamId: quoteId, type: "RequestApplicationNumber" } });
    const res = await applicationNumber.POST(post(`/api/admin/quotes/${quoteId}/application-number`, undefined, { cookie }), params(quoteId));
    assert.equal(res.status, 202, await res.clone().text());
    assert.equal(await prisma().scheduledCommand.count({ where: { streamId: quoteId, type: "RequestApplicationNumber" } }), before + 1);
  });
});
