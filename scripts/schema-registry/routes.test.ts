import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import type { Type } from "avsc";
import { parseSchema } from "../../lib/messaging/avro/schema-registry";
import { compatibilityProblems } from "./compatibility-levels";
import { handleRegistryRequest } from "./routes";
import { SubjectStore } from "./subject-store";

const record = (fields: object[]) => ({ type: "record", name: "Thing", namespace: "com.example", fields });
const v1 = record([{ name: "a", type: "string" }]);
const v2 = record([{ name: "a", type: "string" }, { name: "b", type: ["null", "string"], default: null }]);
const required = record([{ name: "a", type: "string" }, { name: "c", type: "int" }]);
const subject = "com.example.Thing";

function registry(firstId = 1) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "schema-registry-")), "store.json");
  const store = new SubjectStore(file, firstId);
  const call = (method: string, url: string, body?: unknown) => {
    const response = handleRegistryRequest({ method, url, body: body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body) }, store);
    return response as { status: number; body: Record<string, unknown> & unknown[]; headers?: Record<string, string> };
  };
  const register = (schema: object | string, to = subject) => call("POST", `/subjects/${encodeURIComponent(to)}/versions`, { schema: typeof schema === "string" ? schema : JSON.stringify(schema) });
  return { file, store, call, register };
}

describe("the schema registry stand-in's REST routes", () => {
  it("registers versions with ids of its own, giving a schema it already holds the same id", () => {
    const { call, register } = registry(500);
    assert.deepEqual(register(v1), { status: 200, body: { id: 500 } });
    assert.deepEqual(register(JSON.stringify(v1, null, 4)).body, { id: 500 }, "whitespace makes no other schema");
    assert.deepEqual(register(v2).body, { id: 501 });
    assert.deepEqual(register(v1, "other-subject").body, { id: 500 }, "the same schema under another subject keeps its id");
    assert.deepEqual(call("GET", "/subjects").body, ["com.example.Thing", "other-subject"]);
    assert.deepEqual(call("GET", `/subjects/${subject}/versions`).body, [1, 2]);
    const latest = call("GET", `/subjects/${subject}/versions/latest`).body;
    assert.deepEqual([latest.subject, latest.version, latest.id], [subject, 2, 501]);
    assert.deepEqual(JSON.parse(call("GET", "/schemas/ids/501").body.schema as string).fields[1].name, "b");
    assert.deepEqual(call("GET", "/schemas/ids/500/versions").body, [{ subject, version: 1 }, { subject: "other-subject", version: 1 }]);
    const found = call("POST", `/subjects/${subject}`, { schema: JSON.stringify(v1) }).body;
    assert.deepEqual([found.version, found.id], [1, 500]);
  });

  it("refuses a schema its subject's compatibility level does not allow with 409, naming the subject; checks without registering", () => {
    const { call, register } = registry();
    register(v1);
    const refused = register(required);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error_code, 409);
    assert.match(refused.body.message as string, /incompatible with an earlier schema for subject "com\.example\.Thing" \(compatibility BACKWARD\).*default-less/);
    assert.deepEqual(call("GET", `/subjects/${subject}/versions`).body, [1], "nothing registered");
    assert.deepEqual(call("POST", `/compatibility/subjects/${subject}/versions/latest`, { schema: JSON.stringify(v2) }).body, { is_compatible: true });
    const verbose = call("POST", `/compatibility/subjects/${subject}/versions/1?verbose=true`, { schema: JSON.stringify(required) }).body;
    assert.equal(verbose.is_compatible, false);
    assert.match((verbose.messages as string[])[0]!, /the new schema cannot read data written with version 1/);
    assert.deepEqual(call("PUT", `/config/${subject}`, { compatibility: "none" }).body, { compatibility: "NONE" });
    assert.deepEqual(register(required).body, { id: 2 }, "NONE allows anything");
  });

  it("has a global compatibility level (BACKWARD) and one per subject once set", () => {
    const { call } = registry();
    assert.deepEqual(call("GET", "/config").body, { compatibilityLevel: "BACKWARD" });
    assert.deepEqual(call("GET", `/config/${subject}`), { status: 404, body: { error_code: 40408, message: `Subject '${subject}' does not have subject-level compatibility configured` } });
    assert.deepEqual(call("GET", `/config/${subject}?defaultToGlobal=true`).body, { compatibilityLevel: "BACKWARD" });
    call("PUT", `/config/${subject}`, { compatibility: "BACKWARD_TRANSITIVE" });
    assert.deepEqual(call("GET", `/config/${subject}`).body, { compatibilityLevel: "BACKWARD_TRANSITIVE" });
    assert.deepEqual(call("PUT", "/config", { compatibility: "SIDEWAYS" }).body.error_code, 42203);
  });

  it("answers Confluent's error codes for what does not exist or is not valid", () => {
    const { call, register } = registry();
    register(v1);
    const code = (method: string, url: string, body?: unknown) => {
      const { status, body: answer } = call(method, url, body);
      return [status, answer.error_code];
    };
    assert.deepEqual(code("GET", "/subjects/nope/versions"), [404, 40401]);
    assert.deepEqual(code("GET", `/subjects/${subject}/versions/7`), [404, 40402]);
    assert.deepEqual(code("GET", `/subjects/${subject}/versions/seven`), [422, 42202]);
    assert.deepEqual(code("GET", "/schemas/ids/99"), [404, 40403]);
    assert.deepEqual(code("POST", `/subjects/${subject}`, { schema: JSON.stringify(v2) }), [404, 40403]);
    assert.deepEqual(code("POST", "/subjects/nope", { schema: JSON.stringify(v1) }), [404, 40401]);
    assert.deepEqual(code("POST", `/subjects/${subject}/versions`, { schema: '{"type": "record", "name": "X"}' }), [422, 42201]);
    assert.deepEqual(code("POST", `/subjects/${subject}/versions`, { schema: "not json" }), [422, 42201]);
    assert.deepEqual(code("POST", `/subjects/${subject}/versions`, { schema: JSON.stringify(v1), schemaType: "PROTOBUF" }), [422, 42201]);
    assert.deepEqual(code("POST", `/subjects/${subject}/versions`, { nothing: true }), [422, 42201]);
    assert.deepEqual(code("POST", `/subjects/${subject}/versions`, "{ broken"), [400, 400]);
    assert.deepEqual(code("POST", `/subjects/${subject}/versions`, "[1]"), [422, 422]);
    assert.deepEqual(code("GET", "/nowhere"), [404, 404]);
    assert.deepEqual(code("GET", "/subjects/%E0%A4%A/versions"), [404, 404]);
    const wrongMethod = call("DELETE", `/subjects/${subject}/versions`);
    assert.deepEqual([wrongMethod.status, wrongMethod.body.error_code, wrongMethod.headers?.allow], [405, 405, "GET, POST"]);
  });

  it("keeps subjects and ids in its file across a restart", () => {
    const { file, register } = registry(40);
    register(v1);
    register(v2);
    const restarted = new SubjectStore(file);
    assert.deepEqual(restarted.version(subject, "latest"), { subject, version: 2, id: 41, schema: restarted.schemaById(41) });
    assert.deepEqual(restarted.register("another", JSON.stringify(record([{ name: "z", type: "long" }]))), { id: 42 }, "the next id too");
  });

  it("refuses to start on a file it did not write", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "schema-registry-")), "store.json");
    fs.writeFileSync(file, "{}");
    assert.throws(() => new SubjectStore(file), new RegExp(`Cannot read the schema registry store ${file.replace(/[.\\/]/g, "\\$&")}: it does not hold`));
  });
});

describe("compatibility levels", () => {
  const [a, ab, abRequired, b] = [v1, v2, required, record([{ name: "b", type: ["null", "string"], default: null }])].map((schema) => parseSchema(schema)) as [Type, Type, Type, Type];
  const history = (...schemas: Type[]) => schemas.map((schema, i) => ({ version: i + 1, schema }));

  it("BACKWARD: the new schema reads the latest; FORWARD: the latest reads the new one; FULL: both", () => {
    assert.deepEqual(compatibilityProblems("BACKWARD", ab, history(a)), []);
    assert.equal(compatibilityProblems("BACKWARD", abRequired, history(a)).length, 1);
    assert.deepEqual(compatibilityProblems("FORWARD", abRequired, history(a)), [], "the old schema ignores the new field");
    assert.equal(compatibilityProblems("FORWARD", b, history(a)).length, 1, "the old schema needs a, which the new one does not write");
    assert.equal(compatibilityProblems("FULL", abRequired, history(a)).length, 1);
    assert.deepEqual(compatibilityProblems("NONE", b, history(a)), []);
  });

  it("the _TRANSITIVE levels hold against every earlier version, the others only against the latest", () => {
    assert.deepEqual(compatibilityProblems("BACKWARD", a, history(b, ab)), [], "a reads ab");
    assert.equal(compatibilityProblems("BACKWARD_TRANSITIVE", a, history(b, ab)).length, 1, "a cannot read b, which has no a");
  });
});
