// The worker's clean-up of finished work, on real PostgreSQL: what finished before the retention goes, what is
// pending or finished since stays.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { deleteFinishedWork } from "./finished-work-cleanup";

after(() => prisma().$disconnect());

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

async function notification(status: string, completedAt: Date | null) {
  const row = await prisma().notification.create({ data: { idempotencyKey: `cleanup-test:${randomUUID()}`, quoteId: randomUUID(), kind: "submitted", status, completedAt } });
  return row.id;
}

async function scheduledCommand(status: string, completedAt: Date | null) {
  const id = randomUUID();
  await prisma().scheduledCommand.create({ data: { id, type: "RequestApplicationNumber", streamId: randomUUID(), payload: {}, correlationId: "cleanup-test", status, completedAt } });
  return id;
}

async function commandBatch(items: Array<{ status: string; completedAt: Date | null }>) {
  const id = randomUUID();
  await prisma().commandBatch.create({
    data: {
      id, type: "BulkDecideQuotes", payload: {}, requestedBy: "agent-cleanup", correlationId: "cleanup-test", total: items.length,
      items: { create: items.map((item, position) => ({ position, quoteId: randomUUID(), ...item })) },
    },
  });
  return id;
}

describe("deleting finished work", () => {
  it("deletes emails, scheduled commands and bulk decisions finished before the retention; keeps pending and recent ones", async () => {
    const oldSent = await notification("sent", daysAgo(31));
    const oldSkipped = await notification("skipped", daysAgo(40));
    const recentSent = await notification("sent", daysAgo(29));
    const pending = await notification("pending", null);
    const oldDone = await scheduledCommand("done", daysAgo(31));
    const oldFailed = await scheduledCommand("failed", daysAgo(31));
    const recentDone = await scheduledCommand("done", daysAgo(1));
    const waiting = await scheduledCommand("pending", null);
    const oldBatch = await commandBatch([{ status: "done", completedAt: daysAgo(35) }, { status: "refused", completedAt: daysAgo(31) }]);
    const halfRun = await commandBatch([{ status: "done", completedAt: daysAgo(35) }, { status: "pending", completedAt: null }]);
    const recentBatch = await commandBatch([{ status: "done", completedAt: daysAgo(35) }, { status: "done", completedAt: daysAgo(2) }]);

    const deleted = await deleteFinishedWork(prisma(), 30);
    assert.ok(deleted.notifications >= 2 && deleted.scheduledCommands >= 2 && deleted.commandBatches >= 1, JSON.stringify(deleted));

    const notifications = new Set((await prisma().notification.findMany({ where: { id: { in: [oldSent, oldSkipped, recentSent, pending] } }, select: { id: true } })).map((n) => n.id));
    assert.deepEqual([oldSent, oldSkipped, recentSent, pending].map((id) => notifications.has(id)), [false, false, true, true]);
    const scheduled = new Set((await prisma().scheduledCommand.findMany({ where: { id: { in: [oldDone, oldFailed, recentDone, waiting] } }, select: { id: true } })).map((c) => c.id));
    assert.deepEqual([oldDone, oldFailed, recentDone, waiting].map((id) => scheduled.has(id)), [false, false, true, true]);
    const batches = new Set((await prisma().commandBatch.findMany({ where: { id: { in: [oldBatch, halfRun, recentBatch] } }, select: { id: true } })).map((b) => b.id));
    assert.deepEqual([oldBatch, halfRun, recentBatch].map((id) => batches.has(id)), [false, true, true]);
    assert.equal(await prisma().commandBatchItem.count({ where: { batchId: oldBatch } }), 0, "its items go with it");
  });
});
