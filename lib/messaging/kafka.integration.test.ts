import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { Partitioners } from "kafkajs";
import { createKafka } from "./kafka-client";
import { DEFAULT_QUOTE_EVENTS_PARTITIONS, quoteEventsDlqTopic, quoteEventsTopic } from "./topics";

const kafka = createKafka("integration-test")!;
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe("the real Kafka broker", () => {
  it("has quote-events with several partitions and unlimited retention, and the DLQ topic", async () => {
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const { topics } = await admin.fetchTopicMetadata({ topics: [quoteEventsTopic(), quoteEventsDlqTopic()] });
    assert.equal(topics.find((t) => t.name === quoteEventsTopic())?.partitions.length, DEFAULT_QUOTE_EVENTS_PARTITIONS);
    assert.ok(topics.some((t) => t.name === quoteEventsDlqTopic()));
    const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2 /* TOPIC */, name: quoteEventsTopic(), configNames: ["retention.ms"] }] });
    assert.equal(configs.resources[0]?.configEntries.find((e) => e.configName === "retention.ms")?.configValue, "-1");
  });

  it("delivers what an idempotent producer sends to a consumer group, in order per key", async () => {
    // A topic of its own: raw strings on quote-events would be poison for the projectors.
    const topic = `smoke-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    cleanups.push(async () => {
      await admin.deleteTopics({ topics: [topic] });
      await admin.disconnect();
    });
    const quoteId = randomUUID();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 5 }, (_, i) => ({ key: quoteId, value: `event-${i}` })) });

    const consumer = kafka.consumer({ groupId: `integration-${randomUUID()}` });
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() !== quoteId) return;
          received.push(message.value!.toString());
          if (received.length === 5) resolve();
        },
      });
    });
    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`only received ${received.length} of 5`)), 30_000))]);
    assert.deepEqual(received, ["event-0", "event-1", "event-2", "event-3", "event-4"]);
  });
});
