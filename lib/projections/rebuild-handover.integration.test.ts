import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Partitioners } from "kafkajs";
import pino from "pino";
import { config } from "../config";
import { prisma } from "../db/prisma";
import { capture, startQuoteOverHttp, validDetails } from "../http/testing/quote-api-client";
import { builtInRegistry } from "../messaging/avro/schema-registry";
import { quoteEventsTopic } from "../messaging/topics";
import { workerStatus } from "../worker/worker-status";
import { activeGeneration, disconnectReadModelClients, readModelClient } from "./generations";
import { kafkaSource, startKafkaProjector, type KafkaProjector } from "./kafka-projector";
import { rebuildReadModels } from "./rebuild";
import { eventually, testKafka, testRelay } from "./testing/kafka";

const kafka = testKafka();
const relay = testRelay(kafka);
const projectorLog: Array<{ msg: string }> = [];
let projector: KafkaProjector;
before(async () => {
  const log = pino({ level: "info" }, { write: (line: string) => void projectorLog.push(JSON.parse(line)) });
  projector = await startKafkaProjector({ kafka, db: prisma(), databaseUrl: config().DATABASE_URL, registry: builtInRegistry(), log, groupId: `handover-test-${randomUUID()}`, sessionTimeoutMs: 6_000 });
});
after(async () => {
  await projector.stop();
  await relay.stop();
  await disconnectReadModelClients();
  await prisma().$disconnect();
});

async function partitionCount(): Promise<{ count: number; partitionOf: (key: string) => number }> {
  const admin = kafka.admin();
  await admin.connect();
  const { topics } = await admin.fetchTopicMetadata({ topics: [quoteEventsTopic()] });
  await admin.disconnect();
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = topics[0]!.partitions;
  return { count: partitionMetadata.length, partitionOf: (key) => partitioner({ topic: quoteEventsTopic(), partitionMetadata, message: { key, value: null } }) };
}

/** Starts quotes over HTTP (each with its contact page) until every partition has at least `perPartition` of them. */
async function quotesOnEveryPartition(perPartition: number): Promise<string[]> {
  const { count, partitionOf } = await partitionCount();
  const onPartition = new Map<number, number>();
  const ids: string[] = [];
  while (onPartition.size < count || [...onPartition.values()].some((n) => n < perPartition)) {
    const batch = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const { quoteId, auth } = await startQuoteOverHttp();
        await capture("contact", quoteId, validDetails.contact, auth);
        return quoteId;
      }),
    );
    for (const id of batch) onPartition.set(partitionOf(id), (onPartition.get(partitionOf(id)) ?? 0) + 1);
    ids.push(...batch);
  }
  await relay.drain();
  return ids;
}

describe("a rebuild hands every partition over to the new generation", () => {
  it("quotes written after the switch, on every partition, are projected into the new generation", { timeout: 180_000 }, async () => {
    const before = await quotesOnEveryPartition(2);
    const oldGeneration = await activeGeneration(prisma());
    await eventually(async () => (await readModelClient(oldGeneration).quoteDetails.count({ where: { quoteId: { in: before }, version: 2 } })) === before.length, 30_000);

    // Writes keep coming while the rebuild runs, so the live projector is busy when the switch happens.
    let writing = true;
    const during: string[] = [];
    const writer = (async () => {
      while (writing) {
        const { quoteId, auth } = await startQuoteOverHttp();
        await capture("contact", quoteId, validDetails.contact, auth);
        during.push(quoteId);
        await relay.drain();
      }
    })();
    const rebuilt = await rebuildReadModels({ db: prisma(), databaseUrl: config().DATABASE_URL, kafka, registry: builtInRegistry() });
    writing = false;
    await writer;
    assert.equal(await activeGeneration(prisma()), rebuilt.schema, "switched over");

    const afterSwitch = await quotesOnEveryPartition(2);
    const expected = [...before, ...during, ...afterSwitch];
    const fresh = readModelClient(rebuilt.schema);
    await eventually(async () => (await fresh.quoteDetails.count({ where: { quoteId: { in: expected }, version: 2 } })) === expected.length, 30_000);
    assert.equal(await fresh.quoteTimelineEntry.count({ where: { quoteId: { in: expected } } }), expected.length * 2, "every event once in the new generation");

    const { count } = await partitionCount();
    const checkpoints = await fresh.projectionCheckpoint.findMany({ where: { source: { startsWith: `kafka:${quoteEventsTopic()}:` } } });
    for (let partition = 0; partition < count; partition++) {
      const checkpoint = checkpoints.find((c) => c.source === kafkaSource(quoteEventsTopic(), partition));
      assert.ok(checkpoint && checkpoint.position >= 0n, `the new generation has a checkpoint for partition ${partition}`);
    }
    const status = await eventually(async () => {
      const s = await workerStatus(prisma(), config().DATABASE_URL, kafka);
      return s.projection.totalLag === 0 ? s : null;
    }, 30_000);
    assert.equal(status.generation, rebuilt.schema);
    assert.ok(status.projection.partitions.every((p) => p.appliedPosition !== null), JSON.stringify(status.projection.partitions));
    assert.equal(projectorLog.filter((line) => line.msg.startsWith("live generation changed")).length, 1, "the projector moved its partitions once");
  });
});
