// Scheduled commands end: an over-long failure reason is still recorded, and a command that can never finish is
// marked failed after its attempts, instead of being retried every second for ever.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { prisma } from "../db/prisma";
import { drainProjector } from "../projections/testing/drain";
import { getQuote, startQuoteOverHttp } from "../http/testing/quote-api-client";
import { createApplicationNumberClient } from "../integrations/application-number-client";
import { startStandIn, type StandIn } from "../integrations/testing/application-number-stand-in";
import { createServices } from "../services";
import { createScheduledCommandProcessor } from "./scheduled-commands";

let standIn: StandIn;
before(async () => {
  standIn = await startStandIn({ failureRate: 0, latencyMs: 0 });
});
after(async () => {
  await standIn.stop();
  await prisma().$disconnect();
});

const { commandBus } = createServices(prisma());

/** A real pino logger whose lines the test can read. */
function capturedLog() {
  const lines: Array<{ level: number; msg: string; [field: string]: unknown }> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: "info" }, destination), lines };
}

function processor(options: { baseUrl: string; maxRounds: number; maxAttempts: number; log: pino.Logger }) {
  const client = createApplicationNumberClient({ baseUrl: options.baseUrl, timeoutMs: 1_000, maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0, breaker: { consecutiveFailures: 1_000 } });
  return createScheduledCommandProcessor({ db: prisma(), commandBus, client, log: options.log, maxRounds: options.maxRounds, maxAttempts: options.maxAttempts });
}

const scheduledFor = (streamId: string) => prisma().scheduledCommand.findFirstOrThrow({ where: { streamId, type: "RequestApplicationNumber" } });

/** Runs the worker's scheduled-command round until the command of `streamId` is no longer pending (bounded). */
async function runUntilSettled(worker: ReturnType<typeof processor>, streamId: string, limitMs = 20_000) {
  const deadline = Date.now() + limitMs;
  while ((await scheduledFor(streamId)).status === "pending") {
    if (Date.now() > deadline) throw new Error(`still pending after ${limitMs} ms: ${JSON.stringify(await scheduledFor(streamId))}`);
    if ((await worker.runDue()) === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return scheduledFor(streamId);
}

/** Keeps running rounds for a while: a settled command must not be claimed, run or changed again. */
async function assertNoLongerRetried(worker: ReturnType<typeof processor>, streamId: string) {
  const settled = await scheduledFor(streamId);
  const until = Date.now() + 2_500;
  while (Date.now() < until) {
    await worker.runDue();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Every claim counts an attempt, so an unchanged row was not claimed (nor run) again.
  assert.deepEqual(await scheduledFor(streamId), settled, "unchanged: not claimed again");
}

describe("scheduled commands end", () => {
  it("a service answering with a failure reason longer than the command accepts: the failure is recorded, cut to fit, and not retried", async () => {
    // A misconfigured service URL: the stand-in's 404 names the whole (long) path in its problem detail.
    const baseUrl = `${standIn.baseUrl}/${"misconfigured-path-".repeat(40)}`;
    const { log } = capturedLog();
    const worker = processor({ baseUrl, maxRounds: 2, maxAttempts: 4, log });
    const { quoteId, auth } = await startQuoteOverHttp();

    const settled = await runUntilSettled(worker, quoteId);
    assert.equal(settled.status, "failed");
    assert.match(settled.lastError ?? "", /^rejected by the application-number service: HTTP 404 /);

    const failed = await prisma().storedEvent.findFirst({ where: { streamId: quoteId, type: "ApplicationNumberRequestFailed" } });
    assert.ok(failed, "ApplicationNumberRequestFailed recorded on the quote");
    const reason = (failed.data as { reason: string }).reason;
    assert.ok(reason.length <= 500, `reason of ${reason.length} characters`);
    assert.match(reason, /^rejected by the application-number service: HTTP 404 Not found: POST \/misconfigured-path-/);
    assert.ok(reason.endsWith("…"), "marked as cut");

    await drainProjector();
    const view = (await (await getQuote(quoteId, auth)).json()) as { applicationNumberStatus: string };
    assert.equal(view.applicationNumberStatus, "failed", "the customer sees the failure rather than waiting for ever");
    await assertNoLongerRetried(worker, quoteId);
  });

  it("a command that can never finish is marked failed after its attempts, with its last error and a log line", async () => {
    // Its quote does not exist (a stream never written), so every AssignApplicationNumber is refused.
    const streamId = randomUUID();
    await prisma().scheduledCommand.create({ data: { id: randomUUID(), type: "RequestApplicationNumber", streamId, payload: { quoteId: streamId }, correlationId: randomUUID() } });
    const { log, lines } = capturedLog();
    const worker = processor({ baseUrl: standIn.baseUrl, maxRounds: 1, maxAttempts: 3, log });

    const settled = await runUntilSettled(worker, streamId);
    assert.equal(settled.status, "failed");
    assert.equal(settled.attempts, 3);
    assert.match(settled.lastError ?? "", /AssignApplicationNumber refused/);
    assert.ok(settled.completedAt, "completed");
    const gaveUp = lines.find((line) => line.scheduledCommandId === settled.id && /failed for good/.test(line.msg));
    assert.ok(gaveUp, `a log line saying it gave up: ${JSON.stringify(lines.filter((line) => line.scheduledCommandId === settled.id))}`);
    assert.equal(gaveUp.level, 50, "logged as an error");
    await assertNoLongerRetried(worker, streamId);
  });
});
