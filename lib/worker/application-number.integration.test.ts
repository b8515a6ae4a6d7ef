import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { drainProjector } from "../projections/testing/drain";
import { getQuote, startQuoteOverHttp } from "../http/testing/quote-api-client";
import { createApplicationNumberClient } from "../integrations/application-number-client";
import { startStandIn, type StandIn } from "../integrations/testing/application-number-stand-in";
import { createLogger } from "../logging/logger";
import { message } from "../cqrs/message";
import { createServices } from "../services";
import { createScheduledCommandProcessor } from "./scheduled-commands";

let standIn: StandIn;
before(async () => {
  standIn = await startStandIn({ failureRate: 0.5, latencyMs: 300 });
  // The suites share one database: requests queued by other files' quotes must not wait in line ahead of these.
  await prisma().scheduledCommand.deleteMany({ where: { status: "pending" } });
});
after(async () => {
  await standIn.stop();
  await prisma().$disconnect();
});

const { commandBus } = createServices(prisma());
const log = createLogger("application-number-test");
const processor = (maxRounds = 6) =>
  createScheduledCommandProcessor({
    db: prisma(),
    commandBus,
    maxRounds,
    log,
    client: createApplicationNumberClient({ baseUrl: standIn.baseUrl, timeoutMs: 1_000, maxAttempts: 4, initialDelayMs: 20, maxDelayMs: 200, breaker: { consecutiveFailures: 1_000 } }),
  });
type View = { applicationNumber: string | null; applicationNumberStatus: string };
const view = async (quoteId: string, auth: Record<string, string>) => {
  await drainProjector();
  return (await (await getQuote(quoteId, auth)).json()) as View;
};

/** Runs the worker's scheduled-command round until `done` holds (bounded). */
async function runUntil(run: () => Promise<number>, done: () => Promise<boolean>, limitMs = 60_000) {
  const deadline = Date.now() + limitMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("not done in time");
    if ((await run()) === 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("application number: asynchronous, never waited on", () => {
  it("with the service slow and failing half the time, quotes start at once and each still gets its number", async () => {
    await standIn.control({ failureRate: 0.5, latencyMs: 300 });
    const before = await standIn.requests();
    const quotes: Array<Awaited<ReturnType<typeof startQuoteOverHttp>>> = [];
    for (let i = 0; i < 5; i++) {
      const started = await startQuoteOverHttp();
      assert.equal(started.res.status, 201);
      quotes.push(started);
    }
    assert.equal(await standIn.requests(), before, "no quote start waited on the service");
    for (const q of quotes) assert.equal((await view(q.quoteId, q.auth)).applicationNumberStatus, "pending");

    const worker = processor();
    await runUntil(() => worker.runDue(), async () => (await Promise.all(quotes.map((q) => view(q.quoteId, q.auth)))).every((v) => v.applicationNumber !== null));
    const numbers = await Promise.all(quotes.map(async (q) => (await view(q.quoteId, q.auth)).applicationNumber));
    for (const number of numbers) assert.match(number!, /^APP-\d{4}-\d{6}$/);
    assert.equal(new Set(numbers).size, 5, "distinct numbers");
    const health = (await (await fetch(`${standIn.baseUrl}/health`)).json()) as { failures: number };
    assert.ok(health.failures > 0, "the service did fail along the way");
    const assigned = await prisma().storedEvent.findMany({ where: { streamId: { in: quotes.map((q) => q.quoteId) }, type: "ApplicationNumberAssigned" } });
    assert.equal(assigned.length, 5, "exactly one assignment per quote");
    assert.ok(assigned.every((e) => (e.actor as { kind: string }).kind === "system"));
  });

  it("when the service stays down the quote records the failure, and an agent's retry later gets the number", async () => {
    await standIn.control({ failureRate: 1, latencyMs: 0 });
    const q = await startQuoteOverHttp();
    const worker = processor(2);
    await runUntil(() => worker.runDue(), async () => (await view(q.quoteId, q.auth)).applicationNumberStatus === "failed");
    const failed = await prisma().storedEvent.findFirst({ where: { streamId: q.quoteId, type: "ApplicationNumberRequestFailed" } });
    assert.ok(failed, "ApplicationNumberRequestFailed recorded");

    await standIn.control({ failureRate: 0 });
    const retry = await commandBus.execute(message("RequestApplicationNumber", { quoteId: q.quoteId }, { actor: { kind: "agent", agentId: "agent-1" } }));
    assert.ok(retry.ok, JSON.stringify(retry));
    await runUntil(() => worker.runDue(), async () => (await view(q.quoteId, q.auth)).applicationNumber !== null);
    assert.equal((await view(q.quoteId, q.auth)).applicationNumberStatus, "assigned");
  });

  it("the customer's Try again after a failure queues one new request however often it is pressed, and the number arrives", async () => {
    await standIn.control({ failureRate: 1, latencyMs: 0 });
    const q = await startQuoteOverHttp();
    const worker = processor(2);
    await runUntil(() => worker.runDue(), async () => (await view(q.quoteId, q.auth)).applicationNumberStatus === "failed");

    const tryAgain = () => commandBus.execute<{ status: string }>(message("RetryApplicationNumber", { quoteId: q.quoteId }, { actor: { kind: "customer" }, accessToken: q.accessToken }));
    const stranger = await commandBus.execute(message("RetryApplicationNumber", { quoteId: q.quoteId }, { actor: { kind: "customer" }, accessToken: "not-the-token" }));
    assert.ok(!stranger.ok, "only the quote's own customer may ask");
    const presses = await Promise.all([tryAgain(), tryAgain(), tryAgain()]);
    assert.deepEqual(presses.map((p) => (p.ok ? p.value.status : p.error.kind)).sort(), ["in_progress", "in_progress", "requested"]);
    const later = await tryAgain();
    assert.ok(later.ok && later.value.status === "in_progress", `a later press while the request runs: ${JSON.stringify(later)}`);
    const queued = await prisma().scheduledCommand.count({ where: { streamId: q.quoteId, type: "RequestApplicationNumber", status: "pending" } });
    assert.equal(queued, 1, "one failure, one new request");

    await standIn.control({ failureRate: 0 });
    await runUntil(() => worker.runDue(), async () => (await view(q.quoteId, q.auth)).applicationNumber !== null);
    const assigned = await tryAgain();
    assert.ok(assigned.ok && assigned.value.status === "assigned", JSON.stringify(assigned));
  });

  it("a customer cannot assign a number or retry the request", async () => {
    const q = await startQuoteOverHttp();
    const assign = await commandBus.execute(message("AssignApplicationNumber", { quoteId: q.quoteId, applicationNumber: "APP-2026-999999" }, { actor: { kind: "customer" }, accessToken: q.accessToken }));
    assert.equal(!assign.ok && assign.error.kind, "forbidden");
    const retry = await commandBus.execute(message("RequestApplicationNumber", { quoteId: q.quoteId }, { actor: { kind: "customer" }, accessToken: q.accessToken }));
    assert.equal(!retry.ok && retry.error.kind, "unauthorized");
  });
});
