import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import readline from "node:readline";
import { after, describe, it } from "node:test";
import { config } from "../config";
import { prisma } from "../db/prisma";
import { capture, startQuoteOverHttp, submitQuote, validDetails } from "../http/testing/quote-api-client";
import { builtInRegistry } from "../messaging/avro/schema-registry";
import { createLogger } from "../logging/logger";
import { createRelay } from "../messaging/relay";
import { quoteEventsTopic } from "../messaging/topics";
import { activeGeneration, disconnectReadModelClients, readModelClient } from "./generations";
import { kafkaSource } from "./kafka-projector";
import { rebuildReadModels } from "./rebuild";
import { snapshotReadModels } from "./testing/compare-generations";
import { eventually, testKafka } from "./testing/kafka";
import { serverNodeArgs } from "../../scripts/lib/server-node";

const QUOTES = 500;
const KILLS = 6;
const kafka = testKafka();
const children = new Set<ChildProcess>();
after(async () => {
  for (const child of children) child.kill("SIGKILL");
  await disconnectReadModelClients();
  await prisma().$disconnect();
});

/** A projector-only worker process in the given consumer group; resolves once it has joined. */
function startProjectorProcess(group: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, serverNodeArgs("scripts/worker.ts", "--only=projector"), {
    // The broker's minimum session timeout, so a killed member's partitions move on quickly.
    env: { ...process.env, PROJECTION_GROUP: group, PROJECTION_SESSION_TIMEOUT_MS: "6000", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on("line", (line) => line.includes('"worker started"') && resolve(child));
    child.once("exit", (code, signal) => reject(new Error(`projector exited early (${code ?? signal})`)));
  });
}
const kill = (child: ChildProcess, signal: NodeJS.Signals) => new Promise((resolve) => (child.once("exit", resolve), child.kill(signal)));

async function makeQuotes(): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < QUOTES; i += 10) {
    ids.push(
      ...(await Promise.all(
        Array.from({ length: 10 }, async (_, j) => {
          const { quoteId, auth } = await startQuoteOverHttp();
          await capture("geographic", quoteId, validDetails.geographic, auth);
          await capture("contact", quoteId, { ...validDetails.contact, email: `crash-${i + j}@example.com` }, auth);
          await capture("family", quoteId, { ...validDetails.family, numberOfDependents: (i + j) % 5 + 2 }, auth);
          await submitQuote(quoteId, auth);
          return quoteId;
        }),
      )),
    );
  }
  return ids;
}

describe("projector crashes (SIGKILL) while events stream", () => {
  it("after many kills and restarts the read models equal a clean rebuild: nothing lost, nothing applied twice", { timeout: 300_000 }, async () => {
    const quoteIds = await makeQuotes();
    const expectedEvents = QUOTES * 5;
    const group = `crash-test-${randomUUID()}`;
    const relay = createRelay({ db: prisma(), kafka, registry: builtInRegistry(), log: createLogger("crash-relay") });

    // Stream the events to Kafka in small batches while projectors are being killed.
    let streaming = true;
    const streamer = (async () => {
      while (streaming && (await relay.publishBatch(150)) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    })();

    let kills = 0;
    for (; kills < KILLS; kills++) {
      const child = await startProjectorProcess(group);
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.floor(Math.random() * 1_000)));
      await kill(child, "SIGKILL");
    }
    streaming = false;
    await streamer;
    while ((await relay.publishBatch()) > 0);
    await relay.stop();

    const final = await startProjectorProcess(group);
    const admin = kafka.admin();
    await admin.connect();
    const targets = (await admin.fetchTopicOffsets(quoteEventsTopic())).map((p) => ({ source: kafkaSource(quoteEventsTopic(), p.partition), last: BigInt(p.high) - 1n }));
    await admin.disconnect();
    const live = readModelClient(await activeGeneration(prisma()));
    await eventually(async () => {
      const rows = await live.projectionCheckpoint.findMany({ where: { source: { in: targets.map((t) => t.source) } } });
      const at = new Map(rows.map((r) => [r.source, r.position]));
      return targets.every((t) => t.last < 0n || (at.get(t.source) ?? -1n) >= t.last);
    }, 120_000);
    await kill(final, "SIGTERM");

    const rebuilt = await rebuildReadModels({ db: prisma(), databaseUrl: config().DATABASE_URL, kafka, registry: builtInRegistry(), activate: false });
    const liveSnapshot = await snapshotReadModels(live, quoteIds);
    const rebuiltSnapshot = await snapshotReadModels(readModelClient(rebuilt.schema), quoteIds);
    const projected = liveSnapshot.timeline.length;
    const uniqueEvents = new Set(liveSnapshot.timeline.map((t: { eventId: string }) => t.eventId)).size;
    console.log(`crash test: kills ${kills}, sent ${expectedEvents}, projected ${projected}, lost ${expectedEvents - uniqueEvents}, duplicated ${projected - uniqueEvents}`);
    assert.equal(uniqueEvents, expectedEvents, "nothing lost");
    assert.equal(projected, uniqueEvents, "nothing applied twice");
    assert.ok(liveSnapshot.details.every((d: { version: number; status: string }) => d.version === 5 && d.status === "submitted"));
    assert.deepEqual(liveSnapshot, rebuiltSnapshot, "live read models equal a clean rebuild");
  });
});
