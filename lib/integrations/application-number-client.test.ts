// Answers the stand-in never gives (malformed bodies, 429, 404), from a scripted in-process HTTP server.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import pino from "pino";
import { createApplicationNumberClient } from "./application-number-client";

type Answer = { status: number; body: string; contentType?: string };
const json = (status: number, body: unknown, contentType = "application/json"): Answer => ({ status, body: JSON.stringify(body), contentType });

describe("application-number client against scripted answers", () => {
  let server: http.Server;
  let baseUrl: string;
  let script: Answer[] = [];
  let calls = 0;

  before(async () => {
    server = http.createServer((req, res) => {
      calls++;
      req.resume();
      req.on("end", () => {
        const answer = script.shift() ?? json(500, { title: "script exhausted" }, "application/problem+json");
        res.writeHead(answer.status, { "content-type": answer.contentType ?? "text/plain" });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`; // trailing slash on purpose
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    script = [];
    calls = 0;
  });

  const client = (options: { consecutiveFailures?: number } = {}) =>
    createApplicationNumberClient({ baseUrl, initialDelayMs: 1, maxDelayMs: 5, breaker: { consecutiveFailures: options.consecutiveFailures ?? 5 }, log: pino({ level: "silent" }) });

  it("fails a 201 whose number is malformed with a clear reason, without retrying", { timeout: 5000 }, async () => {
    script = [json(201, { requestId: "q1", applicationNumber: "123" })];
    const result = await client().requestNumber("q1");
    assert.ok(!result.ok);
    assert.equal(result.retryable, false);
    assert.equal(result.attempts, 1);
    assert.match(result.reason, /^malformed response \(HTTP 201\): applicationNumber: must look like APP-2026-000123/);
  });

  it("fails a 201 that is not JSON, or answers for another request id", { timeout: 5000 }, async () => {
    script = [{ status: 201, body: "<html>proxy</html>" }];
    const notJson = await client().requestNumber("q1");
    assert.ok(!notJson.ok);
    assert.match(notJson.reason, /^malformed response \(HTTP 201\): body is not JSON/);

    script = [json(201, { requestId: "someone-else", applicationNumber: "APP-2026-000200" })];
    const wrongId = await client().requestNumber("q1");
    assert.ok(!wrongId.ok);
    assert.match(wrongId.reason, /requestId: answered for "someone-else", asked for "q1"/);
    assert.equal(calls, 2);
  });

  it("retries a 429 and a 502", { timeout: 5000 }, async () => {
    script = [json(429, { title: "Too many requests" }, "application/problem+json"), { status: 502, body: "bad gateway" }, json(201, { requestId: "q2", applicationNumber: "APP-2026-000124" })];
    assert.deepEqual(await client().requestNumber("q2"), { ok: true, applicationNumber: "APP-2026-000124", attempts: 3 });
  });

  it("treats other 4xx as permanent, and does not count them towards opening the circuit", { timeout: 5000 }, async () => {
    const c = client({ consecutiveFailures: 1 });
    script = [json(404, { title: "Not found", detail: "no such route" }, "application/problem+json")];
    const result = await c.requestNumber("q3");
    assert.deepEqual(result, { ok: false, attempts: 1, retryable: false, reason: "rejected by the application-number service: HTTP 404 Not found: no such route" });
    assert.equal(c.breakerState(), "closed");
  });

  it("gives a reason that can be stored with the quote when the service answers with a NUL or half a character", { timeout: 5000 }, async () => {
    script = [json(400, { title: "Bad\u0000request", detail: "broken \udae2 text" }, "application/problem+json")];
    const result = await client().requestNumber("q4");
    assert.ok(!result.ok);
    assert.equal(result.reason, "rejected by the application-number service: HTTP 400 Bad request: broken \ufffd text");
  });

  it("refuses options that make no sense", () => {
    assert.throws(() => createApplicationNumberClient({ baseUrl: "not a url" }), /baseUrl must be an http\(s\) URL/);
    assert.throws(() => createApplicationNumberClient({ baseUrl, maxAttempts: 0 }), /maxAttempts must be a whole number >= 1/);
  });
});
