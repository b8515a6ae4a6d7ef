import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeEvent } from "./avro/event-codec";
import { builtInRegistry } from "./avro/schema-registry";
import { sampleEvents } from "./avro/test-samples";
import { eventIdOf, tailRanges } from "./relay-reconcile";

const registry = builtInRegistry();

describe("relay reconcile", () => {
  it("reads the last `tail` records before each partition's high watermark, not before its low one, and skips empty partitions", () => {
    const ends = [
      { partition: 0, low: 0n, high: 10_000n },
      { partition: 1, low: 0n, high: 30n },
      { partition: 2, low: 0n, high: 0n },
      { partition: 3, low: 9_000n, high: 9_500n },
    ];
    assert.deepEqual(tailRanges(ends, 4_000), [
      { partition: 0, from: 6_000n, to: 10_000n },
      { partition: 1, from: 0n, to: 30n },
      { partition: 3, from: 9_000n, to: 9_500n },
    ]);
    assert.deepEqual(tailRanges(ends, 0), []);
  });

  it("takes a record's event id from its event-id header, else from its Avro body; none from a record the relay did not write", () => {
    const event = sampleEvents.ContactDetailsCaptured;
    const value = encodeEvent(event, registry);
    assert.equal(eventIdOf({ headers: { "event-id": Buffer.from(event.eventId) }, value }, registry), event.eventId);
    assert.equal(eventIdOf({ headers: {}, value }, registry), event.eventId);
    assert.equal(eventIdOf({ headers: {}, value: Buffer.from("not avro") }, registry), null);
    assert.equal(eventIdOf({ headers: { "event-id": Buffer.from("x'; drop table events; --") }, value }, registry), null);
    assert.equal(eventIdOf({ headers: {}, value: null }, registry), null);
  });
});
