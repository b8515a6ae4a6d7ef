import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startSchemaRegistryStandIn, type StandInProcess } from "./schema-registry/test-process";
import { TEST_PORTS } from "./test/test-environment";

const password = "stand-in-pa55word";
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
const schema = JSON.stringify({ type: "record", name: "Thing", namespace: "com.example", fields: [{ name: "a", type: "string" }] });
let standIn: StandInProcess;

const call = (method: string, path: string, options: { body?: string; authorization?: string } = {}) =>
  fetch(`${standIn.url}${path}`, {
    method,
    headers: { "content-type": "application/vnd.schemaregistry.v1+json", authorization: options.authorization ?? basic("app", password) },
    body: options.body,
  });

describe("schema registry stand-in (its own HTTP process)", () => {
  before(async () => {
    standIn = await startSchemaRegistryStandIn({ port: TEST_PORTS.schemaRegistryUnderTest, env: { SCHEMA_REGISTRY_USERNAME: "app", SCHEMA_REGISTRY_PASSWORD: password, SCHEMA_REGISTRY_FIRST_ID: "70" } });
  });
  after(() => standIn.stop());

  it("asks for its credentials on every route but /health: 401 with Confluent's error body", async () => {
    assert.equal((await fetch(`${standIn.url}/health`)).status, 200);
    for (const authorization of ["", basic("app", "wrong"), basic("someone", password), "Bearer x"]) {
      const res = await call("GET", "/subjects", { authorization });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get("www-authenticate"), 'Basic realm="schema-registry"');
      assert.equal(((await res.json()) as { error_code: number }).error_code, 401);
    }
    assert.equal((await call("GET", "/subjects")).status, 200);
  });

  it("keeps subjects and ids across a restart", async () => {
    const registered = (await (await call("POST", "/subjects/com.example.Thing/versions", { body: JSON.stringify({ schema }) })).json()) as { id: number };
    assert.equal(registered.id, 70);
    await standIn.stop();
    await standIn.restart();
    const found = (await (await call("GET", "/subjects/com.example.Thing/versions/1")).json()) as { id: number; version: number };
    assert.deepEqual([found.id, found.version], [70, 1]);
    assert.deepEqual(await (await call("POST", "/subjects/com.example.Thing/versions", { body: JSON.stringify({ schema }) })).json(), { id: 70 });
  });

  it("answers bad requests with a clear error and keeps serving", async () => {
    const answers = await Promise.all([
      call("POST", "/subjects/com.example.Thing/versions", { body: "{ not json" }),
      call("POST", "/subjects/com.example.Thing/versions", { body: "x".repeat(2 * 1024 * 1024) }),
      call("DELETE", "/subjects/com.example.Thing/versions"),
      call("GET", "/schemas/ids/-3"),
    ]);
    const bodies = (await Promise.all(answers.map((res) => res.json()))) as Array<{ error_code: number; message: string }>;
    assert.deepEqual(answers.map((res) => res.status), [400, 413, 405, 404]);
    assert.deepEqual(bodies.map((b) => b.error_code), [400, 413, 405, 40403]);
    assert.match(bodies[0]!.message, /not JSON/);
    assert.equal(answers[0]!.headers.get("content-type"), "application/vnd.schemaregistry.v1+json");
    assert.equal((await fetch(`${standIn.url}/health`)).status, 200);
  });
});
