// Bulk decisions as an asynchronous command: the route queues a durable batch and answers 202 at once; the worker's
// command-batch processor decides each quote through the command bus, in-process against PostgreSQL.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { config } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { message } from "@/lib/cqrs/message";
import type { Bus } from "@/lib/cqrs/bus";
import { DEFAULT_RETENTION_SETTINGS, DEFAULT_UNDERWRITING_SETTINGS } from "@/lib/domain/quote";
import { createEventStore } from "@/lib/eventstore/event-store";
import { createLogger } from "@/lib/logging/logger";
import { createCommandBus, services } from "@/lib/services";
import { newUser, signIn } from "@/lib/auth/testing/agents";
import { capture, jsonRequest, startQuoteOverHttp, submitQuote, validDetails } from "@/lib/http/testing/quote-api-client";
import { createCommandBatchProcessor } from "@/lib/worker/command-batches";
import type { CommandBatchView } from "@/lib/queries/contracts";
import * as bulk from "./quotes/bulk-decisions/route";
import * as status from "./commands/[commandId]/route";
import * as reject from "./quotes/[quoteId]/reject/route";

after(() => prisma().$disconnect());

type Problem = { status: number; detail: string; code?: string; errors?: Array<{ path: string; message: string }> };
type Accepted = { commandId: string; statusUrl: string; total: number };

const log = createLogger("bulk-decisions-test");
const LEASE_SECONDS = 1;
const worker = (commandBus: Bus = services().commandBus) => createCommandBatchProcessor({ db: prisma(), commandBus, log, leaseSeconds: LEASE_SECONDS });

const post = (body: unknown, headers: Record<string, string>) => bulk.POST(jsonRequest("/api/admin/quotes/bulk-decisions", "POST", body, headers));
const getStatus = (commandId: string, headers: Record<string, string>) =>
  status.GET(jsonRequest(`/api/admin/commands/${commandId}`, "GET", undefined, headers), { params: Promise.resolve({ commandId }) });

async function submittedQuote() {
  const { quoteId, auth } = await startQuoteOverHttp();
  for (const page of ["geographic", "contact", "family"] as const) await capture(page, quoteId, validDetails[page], auth);
  assert.equal((await submitQuote(quoteId, auth)).status, 200);
  return { quoteId, auth };
}

/** A quote whose validity (one second) is over: deciding it is refused even before its QuoteExpired lands. */
async function expiredQuote() {
  const shortLived = createCommandBus({
    db: prisma(),
    databaseUrl: config().DATABASE_URL,
    store: createEventStore(prisma()),
    access: { idleDays: 30 },
    now: () => new Date(),
    settings: { validity: { seconds: 1 }, underwriting: DEFAULT_UNDERWRITING_SETTINGS, retention: DEFAULT_RETENTION_SETTINGS },
    quoteStartLimiter: { hit: async () => ({ allowed: true }) },
  });
  const { quoteId, auth } = await startQuoteOverHttp();
  const accessToken = auth.authorization.replace("Bearer ", "");
  for (const page of ["geographic", "contact", "family"] as const) await capture(page, quoteId, validDetails[page], auth);
  const submitted = await shortLived.execute(message("SubmitQuote", { quoteId }, { actor: { kind: "customer" }, accessToken }));
  assert.ok(submitted.ok, JSON.stringify(submitted));
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  return quoteId;
}

async function accepted(body: unknown, cookie: string): Promise<Accepted> {
  const res = await post(body, { cookie });
  assert.equal(res.status, 202, await res.clone().text());
  const value = (await res.json()) as Accepted;
  assert.equal(res.headers.get("location"), value.statusUrl);
  return value;
}

async function batchView(commandId: string, cookie: string): Promise<CommandBatchView> {
  const res = await getStatus(commandId, { cookie });
  assert.equal(res.status, 200);
  return (await res.json()) as CommandBatchView;
}

async function runUntilDone(commandId: string, cookie: string, processor = worker()) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const view = await batchView(commandId, cookie);
    if (view.status === "done") return view;
    if (Date.now() > deadline) throw new Error(`batch not done in time: ${JSON.stringify(view)}`);
    if ((await processor.runDue()) === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const eventsOf = async (quoteId: string, type: string) => (await createEventStore(prisma()).readStream(quoteId)).filter((event) => event.type === type);

describe("bulk decisions: an asynchronous command", () => {
  let agent: { id: string };
  let cookie: string;
  let otherCookie: string;
  let viewerCookie: string;

  before(async () => {
    agent = await newUser();
    cookie = await signIn((agent as { email: string } & typeof agent).email);
    otherCookie = await signIn((await newUser()).email);
    viewerCookie = await signIn((await newUser("viewer")).email);
  });

  it("refuses without a session (401), a customer's token (401) and a user who is not an agent (403), queuing nothing", async () => {
    const { quoteId, auth } = await submittedQuote();
    const batchesBefore = await prisma().commandBatch.count();
    const { commandId } = await accepted({ decision: "approve", quoteIds: [quoteId] }, otherCookie);
    for (const [who, headers, expected] of [
      ["no session", {}, 401],
      ["a customer's token", auth, 401],
      ["a viewer", { cookie: viewerCookie }, 403],
    ] as const) {
      for (const [name, res] of [
        ["POST", await post({ decision: "approve", quoteIds: [quoteId] }, headers)],
        ["GET", await getStatus(commandId, headers)],
      ] as const) {
        assert.equal(res.status, expected, `${name} with ${who}`);
        assert.equal(res.headers.get("content-type"), "application/problem+json");
      }
    }
    assert.equal(await prisma().commandBatch.count(), batchesBefore + 1, "only the agent's batch");
  });

  it("answers 202 at once with the batch written durably, every item pending, before any worker runs", async () => {
    const quotes = [await submittedQuote(), await submittedQuote()];
    const { commandId, statusUrl, total } = await accepted({ decision: "approve", quoteIds: quotes.map((q) => q.quoteId), reason: "  Checked  " }, cookie);
    assert.equal(statusUrl, `/api/admin/commands/${commandId}`);
    assert.equal(total, 2);
    const batch = await prisma().commandBatch.findUniqueOrThrow({ where: { id: commandId }, include: { items: { orderBy: { position: "asc" } } } });
    assert.equal(batch.type, "BulkDecideQuotes");
    assert.equal(batch.requestedBy, agent.id);
    assert.deepEqual(batch.payload, { decision: "approve", reason: "Checked" });
    assert.deepEqual(batch.items.map((item) => [item.quoteId, item.status]), quotes.map((q) => [q.quoteId, "pending"]));

    // Another agent may follow it too.
    const view = await batchView(commandId, otherCookie);
    assert.equal(view.status, "queued");
    assert.deepEqual([view.total, view.pending, view.done, view.refused, view.failed], [2, 2, 0, 0, 0]);
    assert.deepEqual(await eventsOf(quotes[0]!.quoteId, "QuoteApproved"), [], "nothing decided yet");
    await runUntilDone(commandId, cookie);
  });

  it("the worker approves each quote through the bus as the agent; an already decided, an expired and an unknown quote are refused and the rest succeed", async () => {
    const fresh = [await submittedQuote(), await submittedQuote(), await submittedQuote()];
    const decided = await submittedQuote();
    const rejected = await reject.POST(jsonRequest(`/api/admin/quotes/${decided.quoteId}/reject`, "POST", { reason: "No" }, { cookie }), { params: Promise.resolve({ quoteId: decided.quoteId }) });
    assert.equal(rejected.status, 200);
    const expired = await expiredQuote();
    const unknown = crypto.randomUUID();
    const quoteIds = [fresh[0]!.quoteId, decided.quoteId, fresh[1]!.quoteId, expired, unknown, fresh[2]!.quoteId];
    const { commandId } = await accepted({ decision: "approve", quoteIds }, cookie);

    const view = await runUntilDone(commandId, cookie);
    assert.deepEqual([view.total, view.done, view.refused, view.failed, view.pending], [6, 3, 3, 0, 0]);
    assert.deepEqual(view.items.map((item) => item.quoteId), quoteIds, "in the order asked");
    const byQuote = new Map(view.items.map((item) => [item.quoteId, item]));
    for (const { quoteId } of fresh) {
      assert.deepEqual({ ...byQuote.get(quoteId), applicationNumber: null }, { quoteId, applicationNumber: null, status: "done", outcome: "approved", message: null, version: 6 });
      const [approved, ...more] = await eventsOf(quoteId, "QuoteApproved");
      assert.equal(more.length, 0);
      assert.deepEqual(approved!.actor, { kind: "agent", agentId: agent.id });
      assert.equal(approved!.causationId, commandId);
    }
    assert.equal(byQuote.get(decided.quoteId)!.status, "refused");
    assert.equal(byQuote.get(decided.quoteId)!.outcome, "QuoteAlreadyDecided");
    assert.match(byQuote.get(decided.quoteId)!.message!, /already been rejected, so it can't be approved/);
    assert.equal(byQuote.get(expired)!.outcome, "QuoteExpired");
    assert.match(byQuote.get(expired)!.message!, /expired/);
    assert.equal(byQuote.get(unknown)!.outcome, "QuoteNotFound");
    assert.deepEqual(await eventsOf(decided.quoteId, "QuoteApproved"), []);
    assert.deepEqual(await eventsOf(expired, "QuoteApproved"), []);
  });

  it("refers with the reason given", async () => {
    const quote = await submittedQuote();
    const { commandId } = await accepted({ decision: "refer", quoteIds: [quote.quoteId], reason: "Second opinion" }, cookie);
    const view = await runUntilDone(commandId, cookie);
    assert.equal(view.items[0]!.outcome, "referred");
    const [referred] = await eventsOf(quote.quoteId, "QuoteReferred");
    assert.equal((referred!.data as { reason: string }).reason, "Second opinion");
  });

  it("a worker killed mid-batch: after its lease another resumes, and no quote is decided twice", async () => {
    const quotes = [await submittedQuote(), await submittedQuote()];
    const { commandId } = await accepted({ decision: "approve", quoteIds: quotes.map((q) => q.quoteId) }, cookie);
    // This worker claims both items, decides the first and dies before recording anything.
    const { commandBus } = services();
    let decidedOne = false;
    const dying = worker({
      execute: async (command) => {
        if (!decidedOne) {
          decidedOne = true;
          await commandBus.execute(command);
        }
        return new Promise(() => {});
      },
    } as Bus);
    void dying.runDue();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(decidedOne);
    const approvedBefore = (await Promise.all(quotes.map((q) => eventsOf(q.quoteId, "QuoteApproved")))).flat();
    assert.equal(approvedBefore.length, 1, "one quote was decided before the worker died");
    assert.equal((await batchView(commandId, cookie)).status, "running");

    const survivor = worker();
    assert.equal(await survivor.runDue(), 0, "the items are hidden while the lease lasts");
    await new Promise((resolve) => setTimeout(resolve, LEASE_SECONDS * 1_000 + 100));
    const view = await runUntilDone(commandId, cookie, survivor);
    assert.deepEqual(view.items.map((item) => [item.status, item.outcome]), [["done", "approved"], ["done", "approved"]]);
    for (const { quoteId } of quotes) assert.equal((await eventsOf(quoteId, "QuoteApproved")).length, 1, `${quoteId} approved once`);
    const items = await prisma().commandBatchItem.findMany({ where: { batchId: commandId } });
    assert.ok(items.every((item) => item.attempts === 2), "each was run by both workers");
  });

  it("a repeat with the same Idempotency-Key answers the first batch; with another request it is 422", async () => {
    const quote = await submittedQuote();
    const body = { decision: "approve", quoteIds: [quote.quoteId] };
    const key = `bulk-${crypto.randomUUID()}`;
    const first = (await (await post(body, { cookie, "idempotency-key": key })).json()) as Accepted;
    const again = await post(body, { cookie, "idempotency-key": key });
    assert.equal(again.status, 202);
    assert.equal(((await again.json()) as Accepted).commandId, first.commandId);
    const other = await post({ ...body, decision: "refer", reason: "x" }, { cookie, "idempotency-key": key });
    assert.equal(other.status, 422);
    await runUntilDone(first.commandId, cookie);
  });

  it("bad input is 400 naming the field; an unknown command 404, a malformed id 400", async () => {
    const id = crypto.randomUUID();
    for (const [body, path, pattern] of [
      [{ quoteIds: [id] }, "decision", /approve or refer/],
      [{ decision: "reject", quoteIds: [id] }, "decision", /approve or refer/],
      [{ decision: "refer", quoteIds: [id] }, "reason", /Enter a reason for referring/],
      [{ decision: "refer", quoteIds: [id], reason: "   " }, "reason", /Enter a reason for referring/],
      [{ decision: "approve", quoteIds: [] }, "quoteIds", /at least one/],
      [{ decision: "approve" }, "quoteIds", /list of quote ids/],
      [{ decision: "approve", quoteIds: Array.from({ length: 101 }, () => crypto.randomUUID()) }, "quoteIds", /at most 100/],
      [{ decision: "approve", quoteIds: [id, id.toUpperCase()] }, "quoteIds", /only once/],
      [{ decision: "approve", quoteIds: ["nope"] }, "quoteIds.0", /UUID/],
      [{ decision: "approve", quoteIds: [id], extra: 1 }, "", /Unknown field "extra"/],
    ] as const) {
      const res = await post(body, { cookie });
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 60));
      const problem = (await res.json()) as Problem;
      assert.ok(problem.errors?.some((error) => error.path === path && pattern.test(error.message)), `${JSON.stringify(body).slice(0, 60)}: ${JSON.stringify(problem.errors)}`);
    }
    assert.equal((await getStatus(crypto.randomUUID(), { cookie })).status, 404);
    const malformed = await getStatus("not-an-id", { cookie });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as Problem).errors?.[0]?.path, "commandId");
  });
});
