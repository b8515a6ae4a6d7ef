import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, parseConfig } from "../config";
import { configuredTopicSettings, DEFAULT_QUOTE_EVENTS_PARTITIONS, quoteEventsDlqTopic, quoteEventsTopic, resolveTopicSettings, topicConfigs } from "./topics";

const problemOf = (env: Record<string, string>): string => {
  try {
    parseConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.problems.length, 1, error.problems.join("\n"));
    return error.problems[0]!;
  }
  assert.fail("expected a ConfigError");
};

describe("topic settings", () => {
  it("default to the single broker's layout: 6 partitions, 1 replica, min.insync.replicas 1", () => {
    assert.deepEqual(configuredTopicSettings(parseConfig({})), { partitions: DEFAULT_QUOTE_EVENTS_PARTITIONS, replicationFactor: 1, minInsyncReplicas: 1 });
  });

  it("are read from KAFKA_TOPIC_PARTITIONS, KAFKA_REPLICATION_FACTOR and KAFKA_MIN_INSYNC_REPLICAS", () => {
    const env = parseConfig({ KAFKA_TOPIC_PARTITIONS: "12", KAFKA_REPLICATION_FACTOR: "3", KAFKA_MIN_INSYNC_REPLICAS: "2" });
    assert.deepEqual(configuredTopicSettings(env), { partitions: 12, replicationFactor: 3, minInsyncReplicas: 2 });
  });

  for (const [name, value, problem] of [
    ["KAFKA_TOPIC_PARTITIONS", "0", "must be at least 1"],
    ["KAFKA_TOPIC_PARTITIONS", "six", "must be a whole number"],
    ["KAFKA_TOPIC_PARTITIONS", "2.5", "must be a whole number"],
    ["KAFKA_REPLICATION_FACTOR", "0", "must be at least 1"],
    ["KAFKA_REPLICATION_FACTOR", "three", "must be a whole number"],
    ["KAFKA_MIN_INSYNC_REPLICAS", "0", "must be at least 1"],
  ] as const) {
    it(`names ${name} when it is ${value}`, () => {
      assert.equal(problemOf({ [name]: value }), `${name}=${value}: ${problem}`);
    });
  }

  it("refuse more in-sync replicas than replicas, naming both settings", () => {
    assert.equal(
      problemOf({ KAFKA_REPLICATION_FACTOR: "2", KAFKA_MIN_INSYNC_REPLICAS: "3" }),
      "KAFKA_MIN_INSYNC_REPLICAS=3: must be at most KAFKA_REPLICATION_FACTOR (2): with fewer replicas than that, Kafka refuses every acks=all write",
    );
    assert.equal(problemOf({ KAFKA_MIN_INSYNC_REPLICAS: "2" }), "KAFKA_MIN_INSYNC_REPLICAS=2: must be at most KAFKA_REPLICATION_FACTOR (1): with fewer replicas than that, Kafka refuses every acks=all write");
  });
});

describe("the events topic", () => {
  it("is quote-events by default, its dead letters in quote-events.dlq", () => {
    const env = parseConfig({});
    assert.equal(quoteEventsTopic(env), "quote-events");
    assert.equal(quoteEventsDlqTopic(env), "quote-events.dlq");
  });

  it("is KAFKA_EVENTS_TOPIC when set, and the dead-letter topic follows it", () => {
    const env = parseConfig({ KAFKA_EVENTS_TOPIC: "quote-events-v2" });
    assert.equal(quoteEventsTopic(env), "quote-events-v2");
    assert.equal(quoteEventsDlqTopic(env), "quote-events-v2.dlq");
    const [events, dlq] = topicConfigs({ partitions: 3, replicationFactor: 1, minInsyncReplicas: 1 }, quoteEventsTopic(env));
    assert.deepEqual([events?.topic, dlq?.topic], ["quote-events-v2", "quote-events-v2.dlq"]);
  });

  for (const value of ["quote events", "quote/events", "..", "x".repeat(246)]) {
    it(`refuses KAFKA_EVENTS_TOPIC=${value.slice(0, 20)}${value.length > 20 ? "..." : ""}`, () => {
      assert.match(problemOf({ KAFKA_EVENTS_TOPIC: value }), /^KAFKA_EVENTS_TOPIC=.*: must be a Kafka topic name/);
    });
  }
});

describe("topic configs", () => {
  it("lay both topics out with the given replication and min.insync.replicas", () => {
    const [events, dlq] = topicConfigs({ partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 }, "quote-events");
    assert.equal(events?.topic, "quote-events");
    assert.equal(events?.numPartitions, 6);
    assert.equal(events?.replicationFactor, 3);
    assert.deepEqual(events?.configEntries, [
      { name: "retention.ms", value: "-1" },
      { name: "retention.bytes", value: "-1" },
      { name: "min.insync.replicas", value: "2" },
    ]);
    assert.equal(dlq?.topic, "quote-events.dlq");
    assert.equal(dlq?.numPartitions, 1);
    assert.equal(dlq?.replicationFactor, 3);
    assert.deepEqual(dlq?.configEntries, [
      { name: "retention.ms", value: "-1" },
      { name: "min.insync.replicas", value: "2" },
    ]);
  });

  it("take a bare number as the partition count", () => {
    assert.equal(resolveTopicSettings({ partitions: 9, replicationFactor: 1, minInsyncReplicas: 1 }).partitions, 9);
    assert.equal(topicConfigs(4)[0]?.numPartitions, 4);
  });

  it("refuse min.insync.replicas above the replication factor", () => {
    assert.throws(() => topicConfigs({ partitions: 6, replicationFactor: 1, minInsyncReplicas: 2 }), /min\.insync\.replicas 2 is above the replication factor 1/);
  });
});
