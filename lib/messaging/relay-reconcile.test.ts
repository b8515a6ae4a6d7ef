import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeEvent } from "./avro/event-codec";
import { builtInRegistry } from "./avro/schema-registry";
import { sampleEvents } from "./avro/test-samples";
import { Partitioners } from "kafkajs";
import { countByPartition, eventIdOf, tailRanges } from "./relay-reconcile";

const registry = builtInRegistry();

describe("relay reconcile", () => {
  it("reads the last `tail` records before each partition's high watermark, not before its low one, and skips empty partitions", () => {
    const ends = [
      { partition: 0, low: 0n, high: 10_000n },
      { partition: 1, low: 0n, high: 30n },
      { partition: 2, low: 0n, high: 0n },
      { partition: 3, low: 9_000n, high: 9_500n },
    ];
    assert.deepEqual(tailRanges(ends, () => 4_000), [
      { partition: 0, from: 6_000n, to: 10_000n },
      { partition: 1, from: 0n, to: 30n },
      { partition: 3, from: 9_000n, to: 9_500n },
    ]);
    assert.deepEqual(tailRanges(ends, () => 0), []);
    assert.deepEqual(tailRanges(ends, (p) => (p === 1 ? 5 : 0)), [{ partition: 1, from: 25n, to: 30n }]);
  });

  it("counts keys per partition as the relay's producer places them", () => {
    const keys = ["6f1d2c1e-0d7a-4c39-9a53-1d4cf1a1b001", "6f1d2c1e-0d7a-4c39-9a53-1d4cf1a1b002", "6f1d2c1e-0d7a-4c39-9a53-1d4cf1a1b001", "0b9a7f7e-4a55-4d0c-8f0e-3a3d6b2d9c10"];
    const partitionOf = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: 6 }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [], isr: [], partitionErrorCode: 0 }));
    const expected = new Map<number, number>();
    for (const key of keys) {
      const p = partitionOf({ topic: "quote-events", partitionMetadata, message: { key: Buffer.from(key), value: null } });
      expected.set(p, (expected.get(p) ?? 0) + 1);
    }
    assert.deepEqual(countByPartition(keys, 6), expected);
    assert.equal([...countByPartition(keys, 6).values()].reduce((a, b) => a + b, 0), keys.length);
  });

  it("takes a record's event id from its Avro body; none from a record the relay did not write", () => {
    const event = sampleEvents.ContactDetailsCaptured;
    assert.equal(eventIdOf({ value: encodeEvent(event, registry) }, registry), event.eventId);
    assert.equal(eventIdOf({ value: Buffer.from("not avro") }, registry), null);
    assert.equal(eventIdOf({ value: null }, registry), null);
  });
});
