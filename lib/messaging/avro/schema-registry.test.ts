import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { QUOTE_EVENT_TYPES } from "../../domain/quote/events";
import { SchemaRegistryError } from "./errors";
import { SchemaRegistry, builtInRegistry } from "./schema-registry";

const registry = builtInRegistry();

describe("the built-in registry", () => {
  test("has every quote event type, each with its latest version", () => {
    assert.deepEqual([...registry.types()].sort(), [...QUOTE_EVENT_TYPES].sort());
    for (const type of QUOTE_EVENT_TYPES) {
      const latest = registry.latest(type);
      assert.equal(latest.type, type);
      assert.equal(latest.schema.name, `com.quoting.events.${type}`);
      assert.equal(latest.version, registry.versions(type).length);
    }
    assert.equal(registry.latest("GeographicDetailsCaptured").version, 3);
  });

  test("looks schemas up by id, both ways", () => {
    assert.deepEqual(
      registry.entries().map((e) => [e.id, `${e.type}.v${e.version}`]).slice(0, 2),
      [[1, "QuoteStarted.v1"], [2, "GeographicDetailsCaptured.v1"]],
    );
    const v2 = registry.byId(12);
    assert.equal(v2.type, "GeographicDetailsCaptured");
    assert.equal(v2.version, 2);
    assert.equal(registry.version("GeographicDetailsCaptured", 2), v2);
    assert.equal(registry.latest("GeographicDetailsCaptured").id, 15);
    assert.equal(registry.version("GeographicDetailsCaptured", 1).id, 2);
    for (const entry of registry.entries()) assert.equal(registry.byId(entry.id), entry);
  });

  test("is loaded once", () => {
    assert.equal(builtInRegistry(), registry);
  });

  test("unknown types, ids and versions are SchemaRegistryErrors", () => {
    assert.throws(() => registry.latest("QuoteExploded"), (e: unknown) => e instanceof SchemaRegistryError && /No Avro schema for event type "QuoteExploded"/.test(e.message));
    assert.throws(() => registry.byId(404), (e: unknown) => e instanceof SchemaRegistryError && e.message === "Unknown schema id 404");
    assert.throws(() => registry.version("QuoteStarted", 9), /No Avro schema for QuoteStarted v9/);
    assert.equal(registry.find(404), undefined);
  });

  test("refuses two schemas with one id, or one version twice", () => {
    const [a, b] = registry.entries() as [NonNullable<ReturnType<typeof registry.find>>, NonNullable<ReturnType<typeof registry.find>>];
    assert.throws(() => new SchemaRegistry([a, { ...b, id: a.id }]), /Schema id 1 is given to both QuoteStarted v1 and GeographicDetailsCaptured v1/);
    assert.throws(() => new SchemaRegistry([a, { ...a, id: 99 }]), /QuoteStarted v1 is registered twice/);
  });

  test("knows no more than the committed schemas: resolving an unknown id leaves it unknown", async () => {
    await registry.resolveUnknown([404, 1]);
    assert.equal(registry.find(404), undefined);
    assert.equal(registry.byId(1).type, "QuoteStarted");
  });
});
