import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import avro, { type Type } from "avsc";
import { QUOTE_EVENT_TYPES } from "../../domain/quote/events";
import { SchemaRegistryError } from "./errors";
import {
  AVRO_SCHEMA_DIR,
  MANIFEST_FILE,
  SCHEMA_FILE_PATTERN,
  builtInRegistry,
  loadSchemaRegistry,
  subjectFor,
  type RegistryManifest,
} from "./schema-registry";

const schemaFiles = fs.readdirSync(AVRO_SCHEMA_DIR).filter((f) => f.endsWith(".avsc")).sort();
const manifest = JSON.parse(fs.readFileSync(path.join(AVRO_SCHEMA_DIR, MANIFEST_FILE), "utf8")) as RegistryManifest;
const manifestEntries = Object.entries(manifest).flatMap(([type, versions]) =>
  Object.entries(versions).map(([version, id]) => ({ type, version: Number(version), id, file: `${type}.v${version}.avsc` })),
);

/**
 * Ids already published: they are in messages on the topic and in the event store's outbox, so they must keep
 * meaning the same schema forever. Add new ids here when you add a version; never change or remove a line.
 */
const PUBLISHED_IDS: Record<string, number> = {
  "QuoteStarted.v1": 1,
  "GeographicDetailsCaptured.v1": 2,
  "ContactDetailsCaptured.v1": 3,
  "FamilyDetailsCaptured.v1": 4,
  "QuoteSubmitted.v1": 5,
  "ApplicationNumberAssigned.v1": 6,
  "ApplicationNumberRequestFailed.v1": 7,
  "QuoteApproved.v1": 8,
  "QuoteRejected.v1": 9,
  "QuoteReferred.v1": 10,
  "QuoteCancelled.v1": 11,
  "GeographicDetailsCaptured.v2": 12,
  "QuoteSubmitted.v2": 21,
  "QuoteExpired.v1": 22,
  "QuoteRequoted.v1": 23,
  "QuoteReferredAutomatically.v1": 24,
  "QuoteApprovedAutomatically.v1": 25,
  "QuoteNoteAdded.v1": 26,
  "QuoteAssigned.v1": 27,
};

describe("Avro schema files", () => {
  test("there is at least one schema file per quote event type", () => {
    for (const type of QUOTE_EVENT_TYPES) {
      assert.ok(schemaFiles.includes(`${type}.v1.avsc`), `missing schemas/avro/${type}.v1.avsc`);
    }
  });

  for (const file of schemaFiles) {
    test(`${file} parses standalone with avsc and defines its record`, () => {
      const match = SCHEMA_FILE_PATTERN.exec(file);
      assert.ok(match, `${file} is not named <EventType>.v<N>.avsc`);
      const json = JSON.parse(fs.readFileSync(path.join(AVRO_SCHEMA_DIR, file), "utf8")) as avro.Schema;
      const type = avro.Type.forSchema(json); // avsc's defaults: no shared registry, no options
      assert.equal(type.typeName, "record");
      assert.equal(type.name, subjectFor(match[1]!));
      const fields = (type as avro.types.RecordType).fields.map((f) => f.name);
      assert.deepEqual(fields, ["eventId", "quoteId", "version", "occurredAt", "correlationId", "causationId", "actor", "data"]);
    });
  }
});

describe("schemas/avro/registry.json", () => {
  test("gives an id to every schema file", () => {
    const inManifest = new Set(manifestEntries.map((e) => e.file));
    const missing = schemaFiles.filter((f) => !inManifest.has(f));
    assert.deepEqual(missing, [], `schema files without an id in registry.json: ${missing.join(", ")}`);
  });

  test("names only schema files that exist", () => {
    const orphans = manifestEntries.map((e) => e.file).filter((f) => !schemaFiles.includes(f));
    assert.deepEqual(orphans, [], `registry.json ids without a schema file: ${orphans.join(", ")}`);
  });

  test("ids are unique positive integers", () => {
    const ids = manifestEntries.map((e) => e.id);
    for (const id of ids) assert.ok(Number.isInteger(id) && id > 0 && id <= 0x7fffffff, `bad id ${id}`);
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    assert.deepEqual(duplicates, [], `ids used twice: ${duplicates.join(", ")}`);
  });

  test("versions of each type run 1, 2, 3 ... without gaps", () => {
    for (const [type, versions] of Object.entries(manifest)) {
      const numbers = Object.keys(versions).map(Number).sort((a, b) => a - b);
      assert.deepEqual(numbers, numbers.map((_, i) => i + 1), type);
    }
  });

  test("published ids are never renumbered or removed", () => {
    for (const [key, id] of Object.entries(PUBLISHED_IDS)) {
      const [type, v] = key.split(".v") as [string, string];
      assert.equal(manifest[type]?.[v], id, `${key} was published with id ${id}`);
    }
  });

  test("a new version takes an id above every existing one (ids are appended, not reused)", () => {
    // Sorting the entries by id lists each type's versions in order: a later version never has a smaller id.
    for (const type of Object.keys(manifest)) {
      const ids = manifestEntries.filter((e) => e.type === type).sort((a, b) => a.version - b.version).map((e) => e.id);
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b), `${type}: ids must grow with versions`);
    }
    assert.equal(builtInRegistry().nextSchemaId(), Math.max(...manifestEntries.map((e) => e.id)) + 1);
  });
});

/** Every named type (record, enum, fixed) inside a schema, by full name. */
function namedTypes(type: Type, found = new Map<string, Type>()): Map<string, Type> {
  const t = type as unknown as { name?: string; fields?: Array<{ type: Type }>; itemsType?: Type; valuesType?: Type; types?: Type[] };
  if (t.name) {
    if (found.has(t.name)) return found;
    found.set(t.name, type);
  }
  for (const child of [...(t.fields ?? []).map((f) => f.type), t.itemsType, t.valuesType, ...(t.types ?? [])]) {
    if (child) namedTypes(child, found);
  }
  return found;
}

describe("shared records", () => {
  test("a named type (Actor, enums, details) has one definition across the latest schemas", () => {
    const registry = builtInRegistry();
    const definitions = new Map<string, { json: string; where: string }>();
    for (const type of registry.types()) {
      const latest = registry.latest(type);
      for (const [name, named] of namedTypes(latest.schema)) {
        const json = JSON.stringify(named.schema({ exportAttrs: true }));
        const seen = definitions.get(name);
        if (seen) assert.equal(json, seen.json, `${name} differs between ${seen.where} and ${type} v${latest.version}`);
        else definitions.set(name, { json, where: `${type} v${latest.version}` });
      }
    }
    assert.ok(definitions.has("com.quoting.events.Actor"));
    assert.ok(definitions.has("com.quoting.events.ActorKind"));
  });
});

describe("loadSchemaRegistry rejects an inconsistent directory", () => {
  function withCopy(change: (dir: string, manifest: RegistryManifest) => RegistryManifest | void, expected: RegExp) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "avro-schemas-"));
    try {
      for (const file of fs.readdirSync(AVRO_SCHEMA_DIR)) fs.copyFileSync(path.join(AVRO_SCHEMA_DIR, file), path.join(dir, file));
      const copy = structuredClone(manifest);
      const changed = change(dir, copy) ?? copy;
      fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(changed));
      assert.throws(() => loadSchemaRegistry(dir), (error: unknown) => error instanceof SchemaRegistryError && expected.test(error.message));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test("a schema file without an id", () => {
    withCopy((_dir, m) => void delete m.GeographicDetailsCaptured!["2"], /GeographicDetailsCaptured\.v2\.avsc has no id in registry\.json/);
  });

  test("an id for a file that does not exist", () => {
    withCopy((_dir, m) => void (m.QuoteStarted!["2"] = 13), /gives an id to QuoteStarted\.v2\.avsc, which does not exist/);
  });

  test("the same id for two schemas", () => {
    withCopy((_dir, m) => void (m.QuoteCancelled!["1"] = 1), /Schema id 1 is given to both/);
  });

  test("a file whose record name does not match its file name", () => {
    withCopy(
      (dir) => fs.copyFileSync(path.join(dir, "QuoteCancelled.v1.avsc"), path.join(dir, "QuoteStarted.v1.avsc")),
      /QuoteStarted\.v1\.avsc must define the record com\.quoting\.events\.QuoteStarted, not com\.quoting\.events\.QuoteCancelled/,
    );
  });
});
