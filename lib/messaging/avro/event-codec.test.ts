import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Type } from "avsc";
import { QUOTE_EVENT_TYPES, type RecordedEvent } from "../../domain/quote/events";
import { EventDecodeError, EventEncodeError } from "./errors";
import { decodeEvent, decodeRecord, encodeEvent, encodeEventWith, toAvroRecord, upcasters, type Upcasters } from "./event-codec";
import { SchemaRegistry, builtInRegistry, parseSchema, type RegisteredSchema } from "./schema-registry";
import { edgeCaseEvents, plainSampleEvents, sampleEvents } from "./test-samples";
import { HEADER_SIZE, encode } from "./wire-format";

const registry = builtInRegistry();

const decodeError = (code: string, message: RegExp) => (error: unknown) => {
  assert.ok(error instanceof EventDecodeError, `expected an EventDecodeError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.match(error.message, message);
  return true;
};

describe("round trip of every event type", () => {
  for (const type of QUOTE_EVENT_TYPES) {
    test(type, () => {
      const event = sampleEvents[type];
      const message = encodeEvent(event, registry);
      const { id } = registry.latest(type);
      assert.equal(message[0], 0, "byte 0 is the magic byte");
      assert.deepEqual([...message.subarray(1, 5)], [(id >>> 24) & 0xff, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff]);
      assert.equal(message.readUInt32BE(1), id);
      assert.ok(message.length > HEADER_SIZE);
      assert.deepStrictEqual(decodeEvent(message, registry), event);
    });
  }

  test("edge cases: absent spouse, null and non-null approval reasons, unicode, empty strings and lists", () => {
    for (const event of edgeCaseEvents) assert.deepStrictEqual(decodeEvent(encodeEvent(event, registry), registry), event);
  });

  test("an optional field absent in the domain comes back absent, not null or undefined", () => {
    const noSpouse = edgeCaseEvents[0]!;
    const decoded = decodeEvent(encodeEvent(noSpouse, registry), registry);
    assert.equal(decoded.type, "FamilyDetailsCaptured");
    assert.ok(!("spouseName" in (decoded.data as { details: object }).details));
  });

  test("a field the domain types as T | null comes back null", () => {
    const decoded = decodeEvent(encodeEvent(sampleEvents.QuoteApproved, registry), registry);
    assert.deepEqual(decoded.data, { reason: null, agentId: "agent-42" });
    assert.equal(decoded.causationId, null);
  });

  test("decoded events are plain objects and arrays, not avsc record instances", () => {
    const decoded = decodeEvent(encodeEvent(sampleEvents.QuoteSubmitted, registry), registry);
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
    assert.equal(Object.getPrototypeOf(decoded.actor), Object.prototype);
    if (decoded.type !== "QuoteSubmitted") assert.fail("wrong type");
    assert.equal(Object.getPrototypeOf(decoded.data.premium.breakdown[0]), Object.prototype);
    assert.deepEqual(JSON.parse(JSON.stringify(decoded)), sampleEvents.QuoteSubmitted);
  });

  test("money survives exactly (Avro doubles)", () => {
    const event = sampleEvents.QuoteSubmitted;
    const decoded = decodeEvent(encodeEvent(event, registry), registry);
    if (decoded.type !== "QuoteSubmitted" || event.type !== "QuoteSubmitted") assert.fail("wrong type");
    assert.equal(decoded.data.premium.monthly, event.data.premium.monthly);
    assert.equal(decoded.data.premium.annual, event.data.premium.annual);
  });
});

describe("encodeEvent refuses an event that does not fit its schema", () => {
  const base = sampleEvents.FamilyDetailsCaptured;

  test("a version that is not an Avro int", () => {
    assert.throws(() => encodeEvent({ ...base, version: 1.5 }, registry), (error: unknown) => {
      assert.ok(error instanceof EventEncodeError);
      assert.match(error.message, /^FamilyDetailsCaptured event .* does not fit its Avro schema v2 \(id 14\): version: 1\.5 is not a valid "int"/);
      return true;
    });
  });

  test("a domain field the schema does not have (so it would be lost silently)", () => {
    const event = { ...base, data: { details: { numberOfDependents: 0, childrenNames: [], petName: "Rex" } } } as unknown as RecordedEvent;
    assert.throws(() => encodeEvent(event, registry), /data\.details: "petName" not in the schema/);
  });

  test("a missing required field", () => {
    const event = { ...sampleEvents.QuoteRejected, data: { agentId: "agent-1" } } as unknown as RecordedEvent;
    assert.throws(() => encodeEvent(event, registry), /data\.reason: missing is not a valid "string"/);
  });

  test("an unknown actor kind, or an agent without an id", () => {
    assert.throws(() => encodeEvent({ ...base, actor: { kind: "robot" } } as unknown as RecordedEvent, registry), /actor\.kind: "robot" is not a valid "com\.quoting\.events\.ActorKind"/);
    assert.throws(() => encodeEvent({ ...base, actor: { kind: "agent" } } as unknown as RecordedEvent, registry), /actor\.agentId: missing is not a valid agent id/);
    assert.throws(() => encodeEvent({ ...base, actor: { kind: "system", name: null } } as unknown as RecordedEvent, registry), /actor\.name: null is not a valid system name/);
  });

  test("an unknown event type", () => {
    assert.throws(() => encodeEvent({ ...base, type: "QuoteExploded" } as unknown as RecordedEvent, registry), /Not a quote event type: "QuoteExploded"/);
  });

  test("a writer schema of another type", () => {
    assert.throws(() => encodeEventWith(base, registry.latest("QuoteStarted")), /Cannot write a FamilyDetailsCaptured event with the QuoteStarted schema/);
  });
});

/** Zig-zag varint, as Avro writes ints and longs. */
function varint(n: number): number[] {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  const bytes: number[] = [];
  while (z >= 0x80) {
    bytes.push((z % 0x80) | 0x80);
    z = Math.floor(z / 0x80);
  }
  return [...bytes, z];
}

describe("bad messages give EventDecodeError with a clear message", () => {
  const good = encodeEvent(sampleEvents.FamilyDetailsCaptured, registry);

  test("null, empty and short buffers", () => {
    assert.throws(() => decodeEvent(null, registry), decodeError("TOO_SHORT", /tombstone/));
    assert.throws(() => decodeEvent(Buffer.alloc(0), registry), decodeError("TOO_SHORT", /Empty message/));
    assert.throws(() => decodeEvent(good.subarray(0, 4), registry), decodeError("TOO_SHORT", /4 bytes/));
  });

  test("a bad magic byte", () => {
    const bad = Buffer.from(good);
    bad[0] = 2;
    assert.throws(() => decodeEvent(bad, registry), decodeError("BAD_MAGIC_BYTE", /first byte is 0x02, expected 0x00/));
  });

  test("an unknown schema id", () => {
    const bad = Buffer.from(good);
    bad.writeUInt32BE(999, 1);
    assert.throws(() => decodeEvent(bad, registry), (error: unknown) => {
      decodeError("UNKNOWN_SCHEMA_ID", /^Unknown schema id 999: not in this registry \(known ids: 1, 2, 3, .*12, .*16, .*\d\)/)(error);
      assert.equal((error as EventDecodeError).schemaId, 999);
      return true;
    });
  });

  test("a truncated body", () => {
    assert.throws(() => decodeEvent(good.subarray(0, good.length - 3), registry), decodeError("TRUNCATED_BODY", /^Truncated Avro body: data\.details\.childrenNames\[1\] needs 8 bytes at offset \d+ but only 6 remain/));
    assert.throws(() => decodeEvent(good.subarray(0, HEADER_SIZE), registry), decodeError("TRUNCATED_BODY", /eventId needs 1 byte at offset 0 but only 0 remain/));
  });

  test("trailing bytes after the value", () => {
    assert.throws(() => decodeEvent(Buffer.concat([good, Buffer.from([1, 2])]), registry), decodeError("TRAILING_BYTES", /2 bytes before the end of the body/));
  });

  test("a header-only message for a type whose body is never empty", () => {
    assert.throws(() => decodeEvent(Buffer.from([0, 0, 0, 0, 11]), registry), decodeError("TRUNCATED_BODY", /eventId/));
  });

  test("an enum index out of range", () => {
    // ActorKind follows causationId; QuoteCancelled's body ends with actor (kind, agentId, name) and an empty data.
    const message = encodeEvent(sampleEvents.QuoteCancelled, registry);
    const bad = Buffer.from(message);
    const kindAt = bad.length - 3; // kind, agentId branch (null), name branch (null); data has no fields
    assert.equal(bad[kindAt], 0, "customer is symbol 0");
    bad[kindAt] = 2 * 7; // zig-zag 7
    assert.throws(() => decodeEvent(bad, registry), decodeError("INVALID_BODY", /actor\.kind has enum index 7, but the enum has 3 symbols/));
  });

  test("a union branch out of range", () => {
    const bad = Buffer.from(encodeEvent(sampleEvents.QuoteCancelled, registry));
    bad[bad.length - 1] = 2 * 5;
    assert.throws(() => decodeEvent(bad, registry), decodeError("INVALID_BODY", /actor\.name has union branch 5, but the union has 2 branches/));
  });

  test("an array claiming 2^31 items fails fast instead of exhausting the heap", () => {
    // FamilyDetailsCaptured ends with childrenNames: count 2 (zig-zag 4), two sealed names (the test samples' stand-in
    // seal: a format byte, then the name), end of array (0).
    const tail = Buffer.from([4, 10, 1, ...Buffer.from("Alan"), 16, 1, ...Buffer.from("Barbara"), 0]);
    assert.deepEqual(good.subarray(good.length - tail.length), tail);
    const hostile = Buffer.concat([good.subarray(0, good.length - tail.length), Buffer.from(varint(2 ** 31)), tail.subarray(1)]);
    const started = Date.now();
    assert.throws(() => decodeEvent(hostile, registry), decodeError("TRUNCATED_BODY", /data\.details\.childrenNames claims 2147483648 more items/));
    assert.ok(Date.now() - started < 1000);
  });

  test("a string claiming more bytes than the message has", () => {
    const bad = Buffer.concat([good.subarray(0, HEADER_SIZE), Buffer.from(varint(1_000_000_000))]);
    assert.throws(() => decodeEvent(bad, registry), decodeError("TRUNCATED_BODY", /eventId needs 1000000000 bytes/));
  });

  test("a negative string length", () => {
    const bad = Buffer.concat([good.subarray(0, HEADER_SIZE), Buffer.from(varint(-3))]);
    assert.throws(() => decodeEvent(bad, registry), decodeError("INVALID_BODY", /eventId has a negative length \(-3\)/));
  });

  test("an int that does not fit in 32 bits", () => {
    const event = sampleEvents.QuoteCancelled;
    const record = toAvroRecord(event);
    const valid = encode(11, registry.latest("QuoteCancelled").schema, record);
    // eventId, quoteId: strings; then version (an int): rebuild with a 6-byte varint in its place.
    const strings = Buffer.from([...varint(event.eventId.length * 1), ...Buffer.from(event.eventId), ...varint(event.quoteId.length), ...Buffer.from(event.quoteId)]);
    assert.deepEqual(valid.subarray(HEADER_SIZE, HEADER_SIZE + strings.length), strings);
    const rest = valid.subarray(HEADER_SIZE + strings.length + varint(event.version).length);
    const bad = Buffer.concat([valid.subarray(0, HEADER_SIZE), strings, Buffer.from(varint(2 ** 40)), rest]);
    assert.throws(() => decodeEvent(bad, registry), decodeError("INVALID_BODY", /version is a int longer than 5 bytes/));
  });

  test("an agent actor without an agent id is not a valid domain event", () => {
    const record = { ...toAvroRecord(sampleEvents.QuoteRejected), actor: { kind: "agent", agentId: null, name: null } };
    const latest = registry.latest("QuoteRejected");
    assert.throws(() => decodeEvent(encode(latest.id, latest.schema, record), registry), decodeError("INVALID_EVENT", /an agent actor has no agentId/));
  });

  test("random corruption never escapes as anything but an EventDecodeError", () => {
    // A seeded generator, so a failure can be reproduced.
    let seed = 0x5eed;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const messages = [...Object.values(sampleEvents), ...edgeCaseEvents].map((e) => encodeEvent(e, registry));
    const outcomes = { decoded: 0, rejected: 0 };
    for (let i = 0; i < 3000; i++) {
      const original = messages[i % messages.length]!;
      let bad = Buffer.from(original);
      const mode = i % 3;
      if (mode === 0) {
        for (let n = 1 + Math.floor(random() * 3); n > 0; n--) bad[HEADER_SIZE + Math.floor(random() * (bad.length - HEADER_SIZE))] = Math.floor(random() * 256);
      } else if (mode === 1) {
        bad = bad.subarray(0, Math.floor(random() * bad.length));
      } else {
        bad = Buffer.concat([bad.subarray(0, HEADER_SIZE), Buffer.from(Array.from({ length: Math.floor(random() * 60) }, () => Math.floor(random() * 256)))]);
      }
      try {
        decodeEvent(bad, registry);
        outcomes.decoded++;
      } catch (error) {
        if (!(error instanceof EventDecodeError)) throw new Error(`case ${i}: ${String(error)} for ${bad.toString("hex")}`);
        outcomes.rejected++;
      }
    }
    assert.ok(outcomes.rejected > 1000, JSON.stringify(outcomes));
  });
});

/** The built-in schemas plus made-up QuoteStarted v2 and v3, each adding an optional field. */
function registryWithThreeQuoteStartedVersions(): { registry: SchemaRegistry; v1: RegisteredSchema; v2: RegisteredSchema; v3: RegisteredSchema } {
  const v1 = registry.version("QuoteStarted", 1);
  const withField = (schema: Type, name: string) => {
    const json = schema.schema({ exportAttrs: true }) as { fields: Array<{ name: string; type: unknown }> };
    const data = json.fields.find((f) => f.name === "data")!.type as { fields: unknown[] };
    data.fields.push({ name, type: ["null", "string"], default: null });
    return parseSchema(json);
  };
  const v2: RegisteredSchema = { id: 100, type: "QuoteStarted", version: 2, schema: withField(v1.schema, "channel") };
  const v3: RegisteredSchema = { id: 101, type: "QuoteStarted", version: 3, schema: withField(v2.schema, "campaign") };
  return { registry: new SchemaRegistry([...registry.entries(), v2, v3]), v1, v2, v3 };
}

describe("upcasters", () => {
  test("every event type has an Avro schema, and every schema is an event type of the domain", () => {
    assert.deepEqual([...registry.types()].sort(), [...QUOTE_EVENT_TYPES].sort());
  });

  test("the project's upcasters lift only versions older than the latest schema of a known type", () => {
    for (const [type, byVersion] of Object.entries(upcasters)) {
      const latest = registry.latest(type).version;
      for (const from of Object.keys(byVersion ?? {}).map(Number)) assert.ok(from >= 1 && from < latest, `${type} v${from} is below v${latest}`);
    }
  });

  test("an upcaster for (type, v1) runs on v1 messages only, after resolution, with its context", () => {
    const seen: unknown[] = [];
    const custom: Upcasters = {
      GeographicDetailsCaptured: {
        1: (event, context) => {
          seen.push(context);
          return event.type === "GeographicDetailsCaptured" ? { ...event, data: { details: { ...event.data.details, state: event.data.details.state.toLowerCase() } } } : event;
        },
      },
    };
    const event = sampleEvents.GeographicDetailsCaptured;
    const v1 = registry.version("GeographicDetailsCaptured", 1);
    const fromV1 = decodeEvent(encodeEventWith(plainSampleEvents.GeographicDetailsCaptured, v1), registry, { upcasters: custom });
    assert.equal(fromV1.type === "GeographicDetailsCaptured" && fromV1.data.details.state, "on");
    assert.deepEqual(seen, [{ type: "GeographicDetailsCaptured", writerVersion: 1, readerVersion: 3, schemaId: v1.id }]);
    assert.deepStrictEqual(decodeEvent(encodeEvent(event, registry), registry, { upcasters: custom }), event);
    assert.equal(seen.length, 1, "not run for a v2 message");
  });

  test("upcasters chain from the writer's version up to the latest", () => {
    const three = registryWithThreeQuoteStartedVersions();
    const calls: string[] = [];
    const chain: Upcasters = {
      QuoteStarted: {
        1: (e) => (calls.push("1→2"), e),
        2: (e) => (calls.push("2→3"), e),
      },
    };
    const event = sampleEvents.QuoteStarted;
    decodeEvent(encodeEventWith(event, three.v1), three.registry, { upcasters: chain });
    assert.deepEqual(calls.splice(0), ["1→2", "2→3"]);
    decodeEvent(encodeEventWith(event, three.v2), three.registry, { upcasters: chain });
    assert.deepEqual(calls.splice(0), ["2→3"]);
    const latest = encodeEvent(event, three.registry);
    assert.equal(latest.readUInt32BE(1), three.v3.id);
    assert.deepStrictEqual(decodeEvent(latest, three.registry, { upcasters: chain }), event);
    assert.deepEqual(calls, []);
  });

  test("a failing upcaster gives UPCAST_FAILED", () => {
    const failing: Upcasters = {
      GeographicDetailsCaptured: {
        1: () => {
          throw new Error("no postcode table");
        },
      },
    };
    const message = encodeEventWith(plainSampleEvents.GeographicDetailsCaptured, registry.version("GeographicDetailsCaptured", 1));
    assert.throws(() => decodeEvent(message, registry, { upcasters: failing }), decodeError("UPCAST_FAILED", /Upcasting GeographicDetailsCaptured from v1 to v2 failed \(schema id 2\): no postcode table/));
  });
});

describe("resolution", () => {
  test("one resolver per (reader, writer) pair, reused", () => {
    const { registry: base, v1, v3 } = registryWithThreeQuoteStartedVersions();
    // avsc freezes its types, so the spy is a proxy around the reader.
    let built = 0;
    const spied = new Proxy(v3.schema, {
      get(target, property, receiver) {
        if (property !== "createResolver") return Reflect.get(target, property, receiver) as unknown;
        return (writer: Type) => {
          built++;
          return target.createResolver.call(receiver, writer); // bound to the proxy, which decodes with it
        };
      },
    });
    const three = new SchemaRegistry([...base.entries().filter((e) => e !== v3), { ...v3, schema: spied }]);
    const message = encodeEventWith(sampleEvents.QuoteStarted, v1);
    for (let i = 0; i < 5; i++) decodeEvent(message, three);
    assert.equal(built, 1);
    decodeEvent(encodeEvent(sampleEvents.QuoteStarted, three), three);
    assert.equal(built, 1, "no resolver when the writer is the reader");
  });

  test("decodeRecord exposes the resolved Avro value and both versions", () => {
    const { registry: three, v1 } = registryWithThreeQuoteStartedVersions();
    const decoded = decodeRecord(encodeEventWith(sampleEvents.QuoteStarted, v1), three);
    assert.equal(decoded.schemaId, v1.id);
    assert.equal(decoded.writerVersion, 1);
    assert.equal(decoded.readerVersion, 3);
    assert.deepEqual({ ...decoded.value.data }, { quoteId: "quote-0001", channel: null, campaign: null });
  });

  test("a writer schema the reader cannot resolve gives INCOMPATIBLE_SCHEMA", () => {
    const v1 = registry.version("QuoteStarted", 1);
    const json = v1.schema.schema({ exportAttrs: true }) as { fields: Array<{ name: string; type: unknown }> };
    (json.fields.find((f) => f.name === "data")!.type as { fields: unknown[] }).fields.push({ name: "channel", type: "string" });
    const broken = new SchemaRegistry([...registry.entries(), { id: 200, type: "QuoteStarted", version: 2, schema: parseSchema(json) }]);
    assert.throws(() => decodeEvent(encodeEventWith(sampleEvents.QuoteStarted, v1), broken), decodeError("INCOMPATIBLE_SCHEMA", /Schema id 1 \(QuoteStarted v1\) cannot be read as QuoteStarted v2 \(id 200\)/));
  });
});
