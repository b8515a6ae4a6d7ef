import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { QUOTE_EVENT_TYPES } from "../../domain/quote/events";
import { SchemaRegistryError } from "./errors";
import { decodeEvent, encodeEvent } from "./event-codec";
import { ConfluentSchemaRegistryClient, SchemaRegistry, builtInRegistry, registryFromClient, subjectFor } from "./schema-registry";
import { sampleEvents } from "./test-samples";

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
    assert.equal(registry.latest("GeographicDetailsCaptured").version, 2);
  });

  test("looks schemas up by id, both ways", () => {
    assert.deepEqual(
      registry.entries().map((e) => [e.id, `${e.type}.v${e.version}`]).slice(0, 2),
      [[1, "QuoteStarted.v1"], [2, "GeographicDetailsCaptured.v1"]],
    );
    const v2 = registry.byId(12);
    assert.equal(v2.type, "GeographicDetailsCaptured");
    assert.equal(v2.version, 2);
    assert.equal(registry.latest("GeographicDetailsCaptured"), v2);
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
});

/** A fake Confluent registry holding the built-in schemas under other ids (1000 + ours). */
function fakeConfluent() {
  const requests: string[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/vnd.schemaregistry.v1+json" } });
  const fetchStub: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    requests.push(`${url.pathname} ${new Headers(init?.headers).get("authorization") ?? ""}`.trim());
    const byId = /^\/schemas\/ids\/(\d+)$/.exec(url.pathname);
    if (byId) {
      const entry = registry.find(Number(byId[1]) - 1000);
      return entry ? json(200, { schema: JSON.stringify(entry.schema.schema({ exportAttrs: true })) }) : json(404, { error_code: 40403, message: "Schema not found" });
    }
    const subject = /^\/subjects\/([^/]+)\/versions(?:\/(\d+))?$/.exec(url.pathname);
    const type = subject && decodeURIComponent(subject[1]!).replace("com.quoting.events.", "");
    const versions = type ? registry.versions(type) : [];
    if (!subject || versions.length === 0) return json(404, { error_code: 40401, message: "Subject not found." });
    if (!subject[2]) return json(200, versions.map((v) => v.version));
    const entry = versions.find((v) => v.version === Number(subject[2]));
    if (!entry) return json(404, { error_code: 40402, message: "Version not found." });
    return json(200, { subject: subjectFor(entry.type), version: entry.version, id: entry.id + 1000, schema: JSON.stringify(entry.schema.schema({ exportAttrs: true })) });
  };
  return { fetch: fetchStub, requests };
}

describe("a Confluent-compatible registry, plugged in by URL", () => {
  test("registryFromClient reads every version of every subject, and the codec works with it", async () => {
    const fake = fakeConfluent();
    const client = new ConfluentSchemaRegistryClient("http://registry.test:8081/", { fetch: fake.fetch, headers: { authorization: "Basic dTpw" } });
    const remote = await registryFromClient(client);
    assert.ok(fake.requests.includes("/subjects/com.quoting.events.GeographicDetailsCaptured/versions Basic dTpw"));
    assert.ok(fake.requests.includes("/subjects/com.quoting.events.GeographicDetailsCaptured/versions/2 Basic dTpw"));
    assert.equal(remote.latest("GeographicDetailsCaptured").id, 1012);
    for (const event of Object.values(sampleEvents)) {
      const message = encodeEvent(event, remote);
      assert.equal(message.readUInt32BE(1), registry.latest(event.type).id + 1000);
      assert.deepStrictEqual(decodeEvent(message, remote), event);
    }
  });

  test("schemaById reads /schemas/ids/<id>", async () => {
    const client = new ConfluentSchemaRegistryClient("http://registry.test:8081", { fetch: fakeConfluent().fetch });
    assert.match(await client.schemaById(1001), /"com\.quoting\.events\.QuoteStarted"/);
  });

  test("HTTP errors become SchemaRegistryErrors with the registry's message", async () => {
    const client = new ConfluentSchemaRegistryClient("http://registry.test:8081", { fetch: fakeConfluent().fetch });
    await assert.rejects(client.schemaById(5), (e: unknown) => e instanceof SchemaRegistryError && /GET http:\/\/registry\.test:8081\/schemas\/ids\/5 failed with 404: Schema not found/.test(e.message));
    await assert.rejects(registryFromClient(client, ["QuoteExploded"]), /Subject not found\./);
  });
});
