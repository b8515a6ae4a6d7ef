import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BatchOutcome, ProjectionMessage } from "./apply-batch";
import { emptyOutcome } from "./apply-batch";
import { createBatchCoalescer } from "./batch-coalescer";

const message = (partition: number, offset: number): ProjectionMessage => ({
  source: `kafka:quote-events:${partition}`,
  position: BigInt(offset),
  quoteId: `quote-${partition}-${offset}`,
  payload: Buffer.alloc(0),
  decode: () => {
    throw new Error("not decoded here");
  },
});

/** An apply whose transactions end when the test says so; it applies every message but parks offset 13. */
function controlledApply() {
  const calls: ProjectionMessage[][] = [];
  const ends: Array<(failure?: Error) => void> = [];
  const apply = (_schema: string, messages: ProjectionMessage[]) =>
    new Promise<BatchOutcome>((resolve, reject) => {
      calls.push(messages);
      ends.push((failure) => {
        if (failure) return reject(failure);
        const parked = messages.filter((m) => m.position === 13n);
        const applied = messages.filter((m) => m.position !== 13n);
        resolve({ ...emptyOutcome(), applied: applied.length, appliedMessages: applied, parked: parked.map((m) => ({ message: m, error: "bad" })), quoteIds: applied.map((m) => m.quoteId) });
      });
    });
  return { apply, calls, end: (index: number, failure?: Error) => ends[index]!(failure) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("createBatchCoalescer: partitions ready together share one transaction", () => {
  it("starts a lone batch on the next turn of the event loop", async () => {
    const { apply, calls, end } = controlledApply();
    const applyTogether = createBatchCoalescer(apply);
    const outcome = applyTogether("public", [message(0, 1)]);
    await tick();
    assert.equal(calls.length, 1);
    end(0);
    assert.equal((await outcome).applied, 1);
  });

  it("applies the batches of one fetch, which arrive a few microtasks apart, in one transaction", async () => {
    const { apply, calls, end } = controlledApply();
    const applyTogether = createBatchCoalescer(apply);
    const first = applyTogether("public", [message(0, 1)]);
    await Promise.resolve();
    const second = applyTogether("public", [message(1, 5)]);
    await tick();
    assert.deepEqual(calls.map((batch) => batch.length), [2]);
    end(0);
    assert.deepEqual([(await first).applied, (await second).applied], [1, 1]);
  });

  it("applies the batches that arrive during a transaction in one next transaction, each caller getting its own outcome", async () => {
    const { apply, calls, end } = controlledApply();
    const applyTogether = createBatchCoalescer(apply);
    const first = applyTogether("public", [message(0, 1)]);
    await tick();
    const second = applyTogether("public", [message(1, 12), message(1, 13)]);
    const third = applyTogether("public", [message(2, 7)]);
    await tick();
    assert.equal(calls.length, 1, "the waiting batches do not start while the first transaction runs");
    end(0);
    await first;
    await tick();
    assert.deepEqual(calls[1]!.map((m) => `${m.source}@${m.position}`), ["kafka:quote-events:1@12", "kafka:quote-events:1@13", "kafka:quote-events:2@7"]);
    end(1);
    const [mine, theirs] = await Promise.all([second, third]);
    assert.deepEqual([mine.applied, mine.parked.map((p) => p.message.position), mine.skipped], [1, [13n], 0]);
    assert.deepEqual([theirs.applied, theirs.parked.length, theirs.quoteIds], [1, 0, ["quote-2-7"]]);
  });

  it("fails every caller of a failed transaction, and carries on with the next", async () => {
    const { apply, calls, end } = controlledApply();
    const applyTogether = createBatchCoalescer(apply);
    const first = applyTogether("public", [message(0, 1)]);
    await tick();
    const second = applyTogether("public", [message(1, 2)]);
    const third = applyTogether("public", [message(2, 3)]);
    end(0);
    await first;
    await tick();
    end(1, new Error("connection lost"));
    await assert.rejects(second, /connection lost/);
    await assert.rejects(third, /connection lost/);
    const retried = applyTogether("public", [message(1, 2)]);
    await tick();
    assert.equal(calls.length, 3);
    end(2);
    assert.equal((await retried).applied, 1);
  });

  it("keeps generations apart", async () => {
    const { apply, calls, end } = controlledApply();
    const applyTogether = createBatchCoalescer(apply);
    const old = applyTogether("public", [message(0, 1)]);
    const next = applyTogether("generation_2", [message(1, 1)]);
    await tick();
    assert.equal(calls.length, 2, "a batch for another generation does not wait for this one");
    end(0);
    end(1);
    await Promise.all([old, next]);
  });
});
