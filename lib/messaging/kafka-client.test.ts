import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Partitioners, type Kafka, type ProducerRecord, type RecordMetadata } from "kafkajs";
import { IncompleteSendError, withCompleteSends } from "./kafka-client";

const PARTITIONS = 6;
const partitionOf = (key: string) => Partitioners.DefaultPartitioner()({ topic: "t", partitionMetadata: Array.from({ length: PARTITIONS }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [], isr: [], partitionErrorCode: 0 })), message: { key, value: null } });

/** A stand-in for kafkajs: its producer answers for the partitions `answers` picks out of those the record used. */
function fakeKafka(answers: (partitions: number[]) => number[]) {
  const calls = { metadata: 0, adminDisconnects: 0, producerDisconnects: 0 };
  const kafka = {
    producer: () => ({
      send: async (record: ProducerRecord): Promise<RecordMetadata[]> => {
        const used = [...new Set(record.messages.map((m) => partitionOf(String(m.key))))];
        return answers(used).map((partition) => ({ topicName: record.topic, partition, errorCode: 0 }));
      },
      sendBatch: async () => [],
      disconnect: async () => void calls.producerDisconnects++,
    }),
    admin: () => ({
      connect: async () => {},
      disconnect: async () => void calls.adminDisconnects++,
      fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
        calls.metadata++;
        return { topics: topics.map((name) => ({ name, partitions: Array.from({ length: PARTITIONS }, (_, partitionId) => ({ partitionId })) })) };
      },
    }),
  } as unknown as Kafka;
  return { kafka: withCompleteSends(kafka), calls };
}

const keys = Array.from({ length: 40 }, (_, i) => `quote-${i}`);
const record = { topic: "t", acks: -1, messages: keys.map((key) => ({ key, value: "v" })) };

describe("producers of createKafka", () => {
  it("resolve when every partition the messages went to acknowledged them", async () => {
    const { kafka, calls } = fakeKafka((used) => used);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    assert.equal((await producer.send(record)).length, new Set(keys.map(partitionOf)).size);
    await producer.send(record);
    assert.equal(calls.metadata, 1, "partition counts are fetched once");
    await producer.disconnect();
    assert.deepEqual([calls.adminDisconnects, calls.producerDisconnects], [1, 1]);
  });

  it("throw when kafkajs resolves a send that left a partition out", async () => {
    const { kafka } = fakeKafka((used) => used.slice(1));
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await assert.rejects(producer.send(record), (error: unknown) => {
      assert.ok(error instanceof IncompleteSendError);
      assert.equal(error.missing.length, 1);
      assert.equal(error.missing[0]!.topic, "t");
      return true;
    });
  });

  it("leave producers with a partitioner of their own alone", async () => {
    const { kafka } = fakeKafka(() => []);
    const producer = kafka.producer({ createPartitioner: () => () => 0 });
    assert.deepEqual(await producer.send(record), []);
  });

  it("do not check acks=0 sends, which get no answer", async () => {
    const { kafka } = fakeKafka(() => []);
    assert.deepEqual(await kafka.producer().send({ ...record, acks: 0 }), []);
  });
});
