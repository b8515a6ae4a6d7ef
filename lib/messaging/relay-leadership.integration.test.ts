import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import readline from "node:readline";
import { after, describe, it } from "node:test";
import { config } from "../config";
import { prisma } from "../db/prisma";
import { workerStatus } from "../worker/worker-status";
import { serverNodeArgs } from "../../scripts/lib/server-node";
import { builtInRegistry } from "./avro/schema-registry";
import { createKafka } from "./kafka-client";
import { countUnpublished } from "./relay-progress";
import { appendConcurrently, versionsByQuote, watchQuoteEvents } from "./testing/outbox";
import { eventually } from "../testing/eventually";

const registry = builtInRegistry();
const kafka = createKafka("relay-leadership-test")!;
const children = new Set<ChildProcess>();
after(async () => {
  for (const child of children) child.kill("SIGKILL");
  await prisma().$disconnect();
});

interface RelayWorker {
  child: ChildProcess;
  lines: string[];
  workerId: () => Promise<string>;
}

/** A relay-only worker process (scripts/worker.ts --only=relay); resolves once it has started. */
function startRelayWorker(): Promise<RelayWorker> {
  const child = spawn(process.execPath, serverNodeArgs("scripts/worker.ts", "--only=relay"), {
    env: { ...process.env, LOG_LEVEL: "info", RELAY_LEADER_RETRY_MS: "200" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  const lines: string[] = [];
  const workerId = async () => {
    const line = lines.find((l) => l.includes('"worker started"'))!;
    return (JSON.parse(line) as { workerId: string }).workerId;
  };
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      lines.push(line);
      if (line.includes('"worker started"')) resolve({ child, lines, workerId });
    });
    child.once("exit", (code, signal) => reject(new Error(`relay worker exited early (${code ?? signal})`)));
  });
}

const kill = (child: ChildProcess, signal: NodeJS.Signals) => new Promise((resolve) => (child.once("exit", resolve), child.kill(signal)));
const leaderLines = (worker: RelayWorker) => worker.lines.filter((l) => l.includes("this worker is now the relay leader"));
const status = () => workerStatus(prisma(), config().DATABASE_URL, kafka);
const unpublished = (quoteIds: string[]) => countUnpublished(prisma(), quoteIds);

/** What a reader of a failure needs: the workers' warnings, and what holds the horizon back. */
async function diagnosis(workers: RelayWorker[]): Promise<string> {
  const sessions = await prisma().$queryRaw<unknown[]>`
    SELECT pid, application_name, state, backend_xid::text AS xid, backend_xmin::text AS xmin, (now() - xact_start)::text AS in_transaction, left(query, 80) AS query
    FROM pg_stat_activity WHERE backend_xid IS NOT NULL OR backend_xmin IS NOT NULL`;
  const [horizon] = await prisma().$queryRaw<unknown[]>`
    SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon,
      (SELECT min(tx_id)::text FROM unpublished_events) AS oldest_unpublished_tx, (SELECT count(*)::int FROM unpublished_events) AS unpublished`;
  const noteworthy = workers.map((w, i) => `worker ${i + 1}:\n${w.lines.filter((l) => !l.includes('"level":30')).slice(-8).join("\n")}`);
  return `${JSON.stringify(horizon)}\nsessions: ${JSON.stringify(sessions, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}\n${noteworthy.join("\n")}`;
}

describe("relay leadership: one relay publishes at a time", () => {
  it("a second worker's relay does not publish while the first holds the lock, and takes over when the first dies", { timeout: 180_000 }, async () => {
    const first = await startRelayWorker();
    const firstId = await first.workerId();
    await eventually(async () => (await status()).relayLeader === firstId, 20_000, "the first worker leads");

    const second = await startRelayWorker();
    const secondId = await second.workerId();
    const before: string[] = Array.from({ length: 30 }, () => randomUUID());
    const afterwards: string[] = Array.from({ length: 30 }, () => randomUUID());
    const watch = await watchQuoteEvents(registry, [...before, ...afterwards]);
    try {
      // The second worker has tried (every 200 ms) and failed many times by the end of this.
      await appendConcurrently({ quoteIds: before, versions: 4, writers: 8 });
      await eventually(async () => (await unpublished(before)) === 0, 30_000, "published while the first leads").catch(async (error: Error) => {
        throw new Error(`${error.message}\n${await diagnosis([first, second])}`);
      });
      await eventually(async () => watch.received.length >= before.length * 4, 30_000, "on the topic");

      const seen = await status();
      assert.equal(seen.relayLeader, firstId);
      assert.deepEqual(seen.workers.filter((w) => w.workerId === firstId || w.workerId === secondId).map((w) => [w.workerId, w.relayLeader]).sort(), [[firstId, true], [secondId, false]].sort());
      assert.equal(leaderLines(first).length, 1, "the first worker took the lock once");
      assert.equal(leaderLines(second).length, 0, "the second worker never led");
      const firstProducers = new Set(watch.received.map((r) => r.producerId));
      assert.equal(firstProducers.size, 1, `one producer published everything so far (${[...firstProducers].join(", ")})`);

      // The leader dies: its session ends, the lock is free, the second worker takes it and publishes the rest.
      await kill(first.child, "SIGKILL");
      await eventually(async () => (await status()).relayLeader === secondId, 20_000, "the second worker leads");
      assert.equal(leaderLines(second).length, 1);
      await appendConcurrently({ quoteIds: afterwards, versions: 4, writers: 8 });
      await eventually(async () => (await unpublished(afterwards)) === 0, 30_000, "published by the second worker").catch(async (error: Error) => {
        throw new Error(`${error.message}\n${await diagnosis([first, second])}`);
      });
      await eventually(async () => watch.received.length >= (before.length + afterwards.length) * 4, 30_000, "all on the topic");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    } finally {
      await watch.stop();
      await kill(second.child, "SIGTERM");
    }

    const ids = watch.received.map((r) => r.eventId);
    assert.equal(new Set(ids).size, ids.length, "no event twice");
    assert.equal(ids.length, (before.length + afterwards.length) * 4);
    const later = new Set(watch.received.filter((r) => afterwards.includes(r.quoteId)).map((r) => r.producerId));
    const earlier = new Set(watch.received.filter((r) => before.includes(r.quoteId)).map((r) => r.producerId));
    assert.equal(later.size, 1);
    assert.ok(![...later].some((p) => earlier.has(p)), "the later events came from the second worker's producer");
    for (const [quoteId, versions] of versionsByQuote(watch.received)) assert.deepEqual(versions, [1, 2, 3, 4], `versions of ${quoteId} in order`);
  });
});
