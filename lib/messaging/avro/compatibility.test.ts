import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { QUOTE_EVENT_TYPES, type RecordedEvent } from "../../domain/quote/events";
import { assertCanRead, backwardTransitiveProblems } from "./compatibility";
import { SchemaCompatibilityError } from "./errors";
import { decodeEvent, decodeRecord, encodeEvent, encodeEventWith, toAvroRecord, type AvroEventRecord } from "./event-codec";
import { AVRO_SCHEMA_DIR, builtInRegistry, parseSchema, type RegisteredSchema } from "./schema-registry";
import { plainSampleEvents, sampleEvents } from "./test-samples";
import { encode } from "./wire-format";

const registry = builtInRegistry();

/** Hand-made values for a writer schema: the Avro record of each sample event of the type that fits it. */
const samplesFor = (type: string) => (version: number) => {
  const writer = registry.version(type, version).schema;
  const event = (sampleEvents as Record<string, RecordedEvent>)[type];
  return event && writer.isValid(toAvroRecord(event)) ? [toAvroRecord(event)] : [];
};

type SchemaJson = { fields: Array<{ name: string; type: unknown; default?: unknown }> } & Record<string, unknown>;
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(AVRO_SCHEMA_DIR, file), "utf8")) as SchemaJson;
const field = (record: SchemaJson, name: string) => record.fields.find((f) => f.name === name)!;
/** The GeographicDetails record inside a GeographicDetailsCaptured schema. */
const detailsOf = (schema: SchemaJson) => field((field(schema, "data").type as SchemaJson), "details").type as SchemaJson;

/** A made-up next version of GeographicDetailsCaptured: v2's JSON with `change` applied. */
function nextGeographicVersion(version: number, id: number, change: (schema: SchemaJson) => void): RegisteredSchema {
  const json = readJson("GeographicDetailsCaptured.v2.avsc");
  change(json);
  return { id, type: "GeographicDetailsCaptured", version, schema: parseSchema(json) };
}

describe("BACKWARD_TRANSITIVE compatibility of the committed schemas", () => {
  for (const type of QUOTE_EVENT_TYPES) {
    test(`every version of ${type} reads every earlier version`, () => {
      const versions = registry.versions(type);
      assert.ok(versions.length >= 1);
      assert.deepEqual(backwardTransitiveProblems(versions, samplesFor(type), 25), []);
    });
  }

  test("the check really runs: GeographicDetailsCaptured has more than one version", () => {
    assert.ok(registry.versions("GeographicDetailsCaptured").length >= 2);
  });
});

describe("the same check catches incompatible changes", () => {
  const v1 = registry.version("GeographicDetailsCaptured", 1);
  const v2 = registry.version("GeographicDetailsCaptured", 2);

  test("a new required field without a default", () => {
    const v3 = nextGeographicVersion(3, 900, (s) => detailsOf(s).fields.push({ name: "district", type: "string" }));
    const problems = backwardTransitiveProblems([v1, v2, v3]);
    assert.equal(problems.length, 2, problems.join("\n")); // v3 cannot read v1, nor v2
    assert.match(problems[0]!, /GeographicDetailsCaptured v3 \(id 900\) cannot read data written with GeographicDetailsCaptured v1 \(id 2\): .*no matching field for default-less .*district/);
  });

  test("a field made required that an older version did not have (caught only by the transitive check)", () => {
    // v3 drops county's default: v3 can read v2 (which always writes county) but not v1 (which never did), so a
    // check against the latest version only (BACKWARD) would let it through.
    const v3 = nextGeographicVersion(3, 901, (s) => void delete detailsOf(s).fields.find((f) => f.name === "county")!.default);
    assert.doesNotThrow(() => assertCanRead({ schema: v3.schema, label: "v3" }, { schema: v2.schema, label: "v2" }, [], 0));
    const problems = backwardTransitiveProblems([v1, v2, v3], () => [], 0);
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0]!, /v3 \(id 901\) cannot read data written with GeographicDetailsCaptured v1/);
  });

  test("a removed enum symbol", () => {
    const v3 = nextGeographicVersion(3, 902, (s) => {
      const country = detailsOf(s).fields.find((f) => f.name === "country")!;
      (country.type as { symbols: string[] }).symbols = ["US", "CA"];
    });
    assert.equal(backwardTransitiveProblems([v1, v2, v3], () => [], 0).length, 2);
  });

  test("a changed field type", () => {
    const v3 = nextGeographicVersion(3, 903, (s) => void (field(s, "version").type = "string"));
    assert.throws(
      () => assertCanRead({ schema: v3.schema, label: "v3" }, { schema: v2.schema, label: "v2" }),
      SchemaCompatibilityError,
    );
  });

  test("a renamed record", () => {
    const v3 = nextGeographicVersion(3, 904, (s) => void (s.name = "GeographyCaptured"));
    assert.throws(() => assertCanRead({ schema: v3.schema, label: "v3" }, { schema: v2.schema, label: "v2" }), SchemaCompatibilityError);
  });

  test("while an optional field with a default, or a widened number, passes", () => {
    const v3 = nextGeographicVersion(3, 905, (s) => {
      detailsOf(s).fields.push({ name: "district", type: ["null", "string"], default: null });
      field(s, "version").type = "long"; // int → long is a legal promotion
    });
    assert.deepEqual(backwardTransitiveProblems([v1, v2, v3], samplesFor("GeographicDetailsCaptured"), 25), []);
  });
});

describe("versions written before personal values were encrypted still decode, as the plain values they held", () => {
  const v1 = registry.version("GeographicDetailsCaptured", 1);
  const v2 = registry.version("GeographicDetailsCaptured", 2);
  const latest = registry.latest("GeographicDetailsCaptured");
  const event = sampleEvents.GeographicDetailsCaptured;
  const plain = plainSampleEvents.GeographicDetailsCaptured;

  test("v3 is the latest version and new events are written with it", () => {
    assert.equal(latest.version, 3);
    assert.equal(encodeEvent(event, registry).readUInt32BE(1), latest.id);
  });

  test("a v1 message decodes into the latest shape: county at its default (null), the city as its UTF-8 bytes, then the plain city again", () => {
    const message = encodeEventWith(plain, v1);
    assert.equal(message.readUInt32BE(1), v1.id);
    const decoded = decodeRecord(message, registry);
    assert.deepEqual([decoded.writerVersion, decoded.readerVersion], [1, 3]);
    const value = decoded.value as AvroEventRecord<"GeographicDetailsCaptured">;
    assert.equal(value.data.details.county, null);
    assert.deepEqual(value.data.details.city, Buffer.from("Toronto"));
    assert.ok(latest.schema.isValid(value), "the decoded value is a valid latest record");
    assert.deepEqual(decodeEvent(message, registry), plain);
  });

  test("the same v1 bytes framed by hand (wire-format encode with v1's id) decode too", () => {
    assert.deepEqual(decodeEvent(encode(v1.id, v1.schema, toAvroRecord(plain)), registry), plain);
  });

  test("a v2 message with a county decodes; the domain, which has no county yet, leaves it out", () => {
    const record = toAvroRecord(plain) as { data: { details: Record<string, unknown> } };
    const message = encode(v2.id, v2.schema, { ...record, data: { details: { ...record.data.details, county: "Toronto Division" } } });
    assert.equal((decodeRecord(message, registry).value as AvroEventRecord<"GeographicDetailsCaptured">).data.details.county, "Toronto Division");
    assert.deepEqual(decodeEvent(message, registry), plain);
  });

  test("ContactDetailsCaptured v1 and FamilyDetailsCaptured v1 messages decode as the plain values they held", () => {
    for (const type of ["ContactDetailsCaptured", "FamilyDetailsCaptured"] as const) {
      const message = encodeEventWith(plainSampleEvents[type], registry.version(type, 1));
      assert.deepEqual(decodeEvent(message, registry), plainSampleEvents[type], type);
    }
  });

  test("an event stored before encryption (plain personal values) is written as it was, with the newest schema that takes text, and reads back the same", () => {
    for (const type of ["GeographicDetailsCaptured", "ContactDetailsCaptured", "FamilyDetailsCaptured"] as const) {
      const message = encodeEvent(plainSampleEvents[type], registry);
      const writer = registry.byId(decodeRecord(message, registry).schemaId);
      assert.ok(writer.version < registry.latest(type).version, `${type}: written with v${writer.version}, not the latest (bytes) schema`);
      assert.deepEqual(decodeEvent(message, registry), plainSampleEvents[type], type);
    }
  });

  test("an encrypted event is written with the latest schema", () => {
    for (const type of ["GeographicDetailsCaptured", "ContactDetailsCaptured", "FamilyDetailsCaptured"] as const) {
      const message = encodeEvent(sampleEvents[type], registry);
      assert.equal(decodeRecord(message, registry).schemaId, registry.latest(type).id, type);
    }
  });
});
