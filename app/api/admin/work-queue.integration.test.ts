// Notes, assignment, the referred queue and the CSV export through the agent API, called in-process with real
// Requests against PostgreSQL; the read models are projected by the embedded projector.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { prisma } from "@/lib/db/prisma";
import { capture, jsonRequest, startQuoteOverHttp, submitQuote, validDetails } from "@/lib/http/testing/quote-api-client";
import { newUser, signIn } from "@/lib/auth/testing/agents";
import { drainProjector } from "@/lib/projections/testing/drain";
import * as list from "./quotes/route";
import * as details from "./quotes/[quoteId]/route";
import * as notes from "./quotes/[quoteId]/notes/route";
import * as assign from "./quotes/[quoteId]/assign/route";
import * as refer from "./quotes/[quoteId]/refer/route";
import * as erase from "./quotes/[quoteId]/erase/route";
import * as csv from "./quotes.csv/route";

after(() => prisma().$disconnect());

const params = (quoteId: string) => ({ params: Promise.resolve({ quoteId }) });
const get = (path: string, headers: Record<string, string> = {}) => new Request(`http://127.0.0.1:3000${path}`, { headers });
type Problem = { status: number; detail: string; code?: string; errors?: Array<{ path: string; message: string }> };
type AdminQuote = { version: number; assignedTo: string | null; assignedToLabel: string | null; timeline: Array<{ type: string; summary: string; actorLabel: string }> };
type QuoteList = { items: Array<{ quoteId: string; assignedTo: string | null; referredAt: string | null }>; total: number };

async function submittedQuote() {
  const { quoteId, auth } = await startQuoteOverHttp();
  for (const page of ["geographic", "contact", "family"] as const) await capture(page, quoteId, validDetails[page], auth);
  assert.equal((await submitQuote(quoteId, auth)).status, 200);
  return quoteId;
}

const noteOn = (quoteId: string, body: unknown, cookie: string) => notes.POST(jsonRequest(`/api/admin/quotes/${quoteId}/notes`, "POST", body, { cookie }), params(quoteId));
const assignTo = (quoteId: string, body: unknown, cookie: string) => assign.POST(jsonRequest(`/api/admin/quotes/${quoteId}/assign`, "POST", body, { cookie }), params(quoteId));
async function view(quoteId: string, cookie: string): Promise<AdminQuote> {
  await drainProjector();
  const res = await details.GET(get(`/api/admin/quotes/${quoteId}`, { cookie }), params(quoteId));
  assert.equal(res.status, 200);
  return (await res.json()) as AdminQuote;
}

describe("the agents' work queue over the API", () => {
  let agent: { id: string; name: string; email: string };
  let cookie: string;
  let otherCookie: string;
  let viewerCookie: string;

  before(async () => {
    agent = await newUser();
    cookie = await signIn(agent.email);
    otherCookie = await signIn((await newUser()).email);
    viewerCookie = await signIn((await newUser("viewer")).email);
  });

  it("refuses notes, assignment and the export without a session (401) and for a user who is not an agent (403), changing nothing", async () => {
    const quoteId = await submittedQuote();
    const calls: Array<[string, (headers: Record<string, string>) => Promise<Response>]> = [
      ["POST notes", (h) => notes.POST(jsonRequest(`/api/admin/quotes/${quoteId}/notes`, "POST", { note: "hi" }, h), params(quoteId))],
      ["POST assign", (h) => assign.POST(jsonRequest(`/api/admin/quotes/${quoteId}/assign`, "POST", {}, h), params(quoteId))],
      ["GET quotes.csv", (h) => csv.GET(get("/api/admin/quotes.csv", h))],
    ];
    for (const [name, call] of calls) {
      for (const [who, headers, status] of [["no session", {}, 401], ["a viewer", { cookie: viewerCookie }, 403]] as const) {
        const res = await call(headers);
        assert.equal(res.status, status, `${name} with ${who}`);
        assert.equal(res.headers.get("content-type"), "application/problem+json");
      }
    }
    assert.equal(await prisma().storedEvent.count({ where: { streamId: quoteId } }), 5, "nothing appended");
  });

  it("a note is stored encrypted and shows on the timeline with its author", async () => {
    const quoteId = await submittedQuote();
    const res = await noteOn(quoteId, { note: "  Customer will call back on Monday  " }, cookie);
    assert.equal(res.status, 201);
    const { version } = (await res.json()) as { version: number };
    assert.equal(version, 6);
    const [stored] = await prisma().storedEvent.findMany({ where: { streamId: quoteId, type: "QuoteNoteAdded" } });
    const data = stored!.data as { note: unknown; agentId: string };
    assert.equal(data.agentId, agent.id);
    assert.equal(typeof (data.note as { ciphertext?: unknown }).ciphertext, "string", "the note's text is sealed in the store");
    assert.ok(!JSON.stringify(stored!.data).includes("Monday"));
    const entry = (await view(quoteId, cookie)).timeline.find((e) => e.type === "QuoteNoteAdded");
    assert.equal(entry?.summary, "Note: Customer will call back on Monday");
    assert.equal(entry?.actorLabel, `${agent.name} (${agent.email})`);
  });

  it("a blank, too long or unexpected note is 400 naming the field; an unknown quote 404", async () => {
    const quoteId = await submittedQuote();
    for (const [body, path, message] of [
      [{ note: "   " }, "note", /Enter the note's text/],
      [{ note: "x".repeat(2001) }, "note", /2000 characters or fewer/],
      [{}, "note", /Enter the note's text/],
      [{ note: "ok", extra: 1 }, "", /Unknown field "extra"/],
    ] as const) {
      const res = await noteOn(quoteId, body, cookie);
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 40));
      const problem = (await res.json()) as Problem;
      assert.ok(problem.errors?.some((e) => e.path === path && message.test(e.message)), JSON.stringify(problem.errors));
    }
    assert.equal((await noteOn(quoteId, { note: "x".repeat(2000) }, cookie)).status, 201, "2000 characters is allowed");
    const unknown = crypto.randomUUID();
    assert.equal((await noteOn(unknown, { note: "hi" }, cookie)).status, 404);
  });

  it("after erasure the notes read [erased] and no more can be added (409)", async () => {
    const quoteId = await submittedQuote();
    assert.equal((await noteOn(quoteId, { note: "Spoke to Jane Doe" }, cookie)).status, 201);
    assert.equal((await erase.POST(jsonRequest(`/api/admin/quotes/${quoteId}/erase`, "POST", { reason: "asked" }, { cookie }), params(quoteId))).status, 200);
    const entry = (await view(quoteId, cookie)).timeline.find((e) => e.type === "QuoteNoteAdded");
    assert.equal(entry?.summary, "Note: [erased]");
    const refused = await noteOn(quoteId, { note: "more" }, cookie);
    assert.equal(refused.status, 409);
    assert.equal(((await refused.json()) as Problem).code, "PersonalDataErased");
  });

  it("assigns to the caller, again without recording anything, and lets another agent take it; an unknown agent is 400", async () => {
    const quoteId = await submittedQuote();
    const first = await assignTo(quoteId, undefined, cookie);
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { quoteId, version: 6, assignedTo: agent.id });
    const again = await assignTo(quoteId, {}, cookie);
    assert.deepEqual(await again.json(), { quoteId, version: 6, assignedTo: agent.id }, "a no-op: same version");
    let quote = await view(quoteId, cookie);
    assert.equal(quote.assignedTo, agent.id);
    assert.equal(quote.assignedToLabel, `${agent.name} (${agent.email})`);
    assert.equal(quote.timeline.filter((e) => e.type === "QuoteAssigned").length, 1);

    const unknown = await assignTo(quoteId, { agentId: "no-such-agent" }, cookie);
    assert.equal(unknown.status, 400);
    assert.equal(((await unknown.json()) as Problem).errors?.[0]?.path, "agentId");
    const notAnId = await assignTo(quoteId, { agentId: "\udae2\udc99\u0000" }, cookie);
    assert.equal(notAnId.status, 400, "a NUL in the assignee is refused, not sent to PostgreSQL");
    assert.deepEqual(((await notAnId.json()) as Problem).errors, [{ path: "agentId", message: "agentId must be an agent's id" }]);

    assert.equal((await assignTo(quoteId, {}, otherCookie)).status, 200);
    quote = await view(quoteId, cookie);
    assert.notEqual(quote.assignedTo, agent.id);
    assert.equal((await assignTo(quoteId, { agentId: agent.id }, otherCookie)).status, 200, "and hand it back");
    assert.equal((await view(quoteId, cookie)).assignedTo, agent.id);
  });

  it("'assigned=me' lists only the caller's quotes; the referred queue is oldest referral first; the CSV has the same rows", async () => {
    const me = await newUser();
    const myCookie = await signIn(me.email);
    const [a, b, c] = [await submittedQuote(), await submittedQuote(), await submittedQuote()];
    // Referred in the order b, a; c stays submitted.
    for (const quoteId of [b, a]) {
      assert.equal((await refer.POST(jsonRequest(`/api/admin/quotes/${quoteId}/refer`, "POST", { reason: "Check" }, { cookie: myCookie }), params(quoteId))).status, 200);
    }
    for (const quoteId of [a, b, c]) assert.equal((await assignTo(quoteId, {}, myCookie)).status, 200);
    await drainProjector();

    const mine = (await (await list.GET(get("/api/admin/quotes?assigned=me", { cookie: myCookie }))).json()) as QuoteList;
    assert.deepEqual(new Set(mine.items.map((q) => q.quoteId)), new Set([a, b, c]));
    assert.ok(mine.items.every((q) => q.assignedTo === me.id));

    const queue = (await (await list.GET(get("/api/admin/quotes?assigned=me&status=referred&sort=referredAt&order=asc", { cookie: myCookie }))).json()) as QuoteList;
    assert.deepEqual(queue.items.map((q) => q.quoteId), [b, a]);
    assert.ok(queue.items[0]!.referredAt! <= queue.items[1]!.referredAt!);

    const res = await csv.GET(get("/api/admin/quotes.csv?assigned=me&status=referred&sort=referredAt&order=asc&page=3", { cookie: myCookie }));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/csv/);
    assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename="quotes-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await res.text()).split("\r\n");
    assert.match(lines[0]!, /^Quote id,Application number,Status,Email,/);
    assert.deepEqual(lines.slice(1, -1).map((line) => line.split(",")[0]), [b, a], "the page parameter is ignored: every match");
    assert.ok(lines[1]!.includes(`${me.name} (${me.email})`));

    assert.equal((await erase.POST(jsonRequest(`/api/admin/quotes/${b}/erase`, "POST", { reason: "asked" }, { cookie: myCookie }), params(b))).status, 200);
    await drainProjector();
    const erased = (await (await csv.GET(get("/api/admin/quotes.csv?assigned=me&status=referred&sort=referredAt&order=asc", { cookie: myCookie }))).text()).split("\r\n")[1]!.split(",");
    assert.equal(erased[3], "erased", "the email");
    assert.equal(erased[5], "erased", "the city");
  });

  it("bad export parameters are 400 naming each one", async () => {
    const res = await csv.GET(get("/api/admin/quotes.csv?assigned=you&sort=nope", { cookie }));
    assert.equal(res.status, 400);
    const paths = ((await res.json()) as Problem).errors?.map((e) => e.path);
    assert.deepEqual(new Set(paths), new Set(["assigned", "sort"]));
  });
});
