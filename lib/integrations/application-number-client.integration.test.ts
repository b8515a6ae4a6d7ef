// The client against the real stand-in (scripts/application-number-service.ts) running as its own process.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { createApplicationNumberClient } from "./application-number-client";
import { freePort, startStandIn, type StandIn } from "./testing/application-number-stand-in";

const NUMBER = /^APP-\d{4}-\d{6}$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("application-number client against the stand-in service", () => {
  let service: StandIn;
  before(async () => {
    service = await startStandIn();
  });
  after(() => service?.stop());
  beforeEach(() => service.control({ latencyMs: 0, failureRate: 0 }));

  it("gets a number on the first attempt, and the same number again for the same request id", { timeout: 10_000 }, async () => {
    const client = createApplicationNumberClient({ baseUrl: service.baseUrl });
    const first = await client.requestNumber("quote-healthy-1");
    assert.ok(first.ok, JSON.stringify(first));
    assert.match(first.applicationNumber, NUMBER);
    assert.equal(first.attempts, 1);

    const again = await client.requestNumber("quote-healthy-1");
    assert.deepEqual(again, { ok: true, applicationNumber: first.applicationNumber, attempts: 1 });

    const other = await client.requestNumber("quote-healthy-2");
    assert.ok(other.ok);
    assert.notEqual(other.applicationNumber, first.applicationNumber);
    assert.equal(client.breakerState(), "closed");
  });

  it("retries through a 50% failure rate until all 20 requests have numbers", { timeout: 20_000 }, async () => {
    await service.control({ failureRate: 0.5 });
    // 15 attempts: the chance that one of 20 requests fails all of them is 20 / 2^15 ≈ 0.06%.
    // A breaker that tolerates the interleaved failures of 20 concurrent callers.
    const client = createApplicationNumberClient({ baseUrl: service.baseUrl, maxAttempts: 15, initialDelayMs: 5, maxDelayMs: 50, breaker: { consecutiveFailures: 1000 } });
    const before = await service.requests();
    const ids = Array.from({ length: 20 }, (_, i) => `quote-flaky-${i}`);
    const results = await Promise.all(ids.map((id) => client.requestNumber(id)));

    const numbers = results.map((r) => (r.ok ? r.applicationNumber : assert.fail(`not issued: ${JSON.stringify(r)}`)));
    numbers.forEach((n) => assert.match(n, NUMBER));
    assert.equal(new Set(numbers).size, 20, "one distinct number per request id");
    const attempts = results.reduce((sum, r) => sum + r.attempts, 0);
    assert.ok(attempts > 20, `expected retries, got ${attempts} attempts for 20 requests`);
    assert.equal((await service.requests()) - before, attempts, "every attempt reached the service once");

    // Retrying was safe: asking again (healthy now) gives each quote the number it already has.
    await service.control({ failureRate: 0 });
    const again = await Promise.all(ids.map((id) => client.requestNumber(id)));
    assert.deepEqual(again.map((r) => (r.ok ? r.applicationNumber : null)), numbers);
  });

  it("times out each attempt when the service is slower than the timeout, and gives up after maxAttempts", { timeout: 10_000 }, async () => {
    await service.control({ latencyMs: 1000 });
    const client = createApplicationNumberClient({ baseUrl: service.baseUrl, timeoutMs: 100, maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 20 });
    const before = await service.requests();
    const started = Date.now();
    const result = await client.requestNumber("quote-slow");
    const elapsed = Date.now() - started;

    assert.deepEqual({ ...result, reason: undefined }, { ok: false, attempts: 3, retryable: true, reason: undefined });
    assert.ok(!result.ok);
    assert.match(result.reason, /^gave up after 3 attempts: timed out after 100ms/);
    assert.ok(elapsed >= 300 && elapsed < 1000, `3 attempts of 100 ms each, not the service's 1000 ms (took ${elapsed} ms)`);
    assert.equal((await service.requests()) - before, 3);
  });

  it("opens the circuit after consecutive failures, fails fast without calling the service, and closes after a good probe", { timeout: 10_000 }, async () => {
    await service.control({ failureRate: 1 });
    const halfOpenAfterMs = 300;
    const client = createApplicationNumberClient({ baseUrl: service.baseUrl, maxAttempts: 5, initialDelayMs: 5, maxDelayMs: 10, breaker: { consecutiveFailures: 3, halfOpenAfterMs } });

    // The third failed attempt opens the circuit; the retry's fourth attempt meets the open circuit and stops.
    let before = await service.requests();
    const tripping = await client.requestNumber("quote-breaker-1");
    assert.ok(!tripping.ok);
    assert.equal(tripping.attempts, 3);
    assert.equal(tripping.retryable, true);
    assert.match(tripping.reason, /^circuit open: .*HTTP 503/);
    assert.equal((await service.requests()) - before, 3);
    assert.equal(client.breakerState(), "open");

    // Open: answered at once, the service not called.
    before = await service.requests();
    const started = Date.now();
    const fast = await client.requestNumber("quote-breaker-2");
    const elapsed = Date.now() - started;
    assert.ok(!fast.ok);
    assert.match(fast.reason, /^circuit open: /);
    assert.equal(fast.retryable, true);
    assert.equal(fast.attempts, 0);
    assert.ok(elapsed < 50, `open circuit answered in ${elapsed} ms`);
    assert.equal((await service.requests()) - before, 0, "the stand-in was not called");

    // After halfOpenAfter one probe goes through; it fails, so the circuit opens again.
    await sleep(halfOpenAfterMs + 50);
    before = await service.requests();
    const failedProbe = await client.requestNumber("quote-breaker-3");
    assert.ok(!failedProbe.ok);
    assert.equal(failedProbe.attempts, 1);
    assert.match(failedProbe.reason, /^circuit open: /);
    assert.equal((await service.requests()) - before, 1);
    assert.equal(client.breakerState(), "open");

    // The service recovers: after halfOpenAfter the probe succeeds and the circuit closes.
    await service.control({ failureRate: 0 });
    await sleep(halfOpenAfterMs + 50);
    const recovered = await client.requestNumber("quote-breaker-4");
    assert.ok(recovered.ok, JSON.stringify(recovered));
    assert.equal(recovered.attempts, 1);
    assert.equal(client.breakerState(), "closed");
  });

  it("fails a bad request at once, without retrying", { timeout: 10_000 }, async () => {
    const client = createApplicationNumberClient({ baseUrl: service.baseUrl, initialDelayMs: 5 });
    const before = await service.requests();
    const result = await client.requestNumber("");
    assert.ok(!result.ok);
    assert.equal(result.retryable, false);
    assert.equal(result.attempts, 1);
    assert.match(result.reason, /HTTP 400 Invalid request: requestId: requestId must not be empty/);
    // The stand-in validates before it counts, so a rejected request leaves its counter alone.
    assert.equal((await service.requests()) - before, 0);
    assert.equal(client.breakerState(), "closed");
  });
});

describe("application-number client with no service running", () => {
  it("gives up with a retryable network error", { timeout: 10_000 }, async () => {
    const port = await freePort(); // free: nothing listens there
    const client = createApplicationNumberClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 500, maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 });
    const result = await client.requestNumber("quote-nobody-home");
    assert.ok(!result.ok);
    assert.equal(result.retryable, true);
    assert.equal(result.attempts, 3);
    assert.match(result.reason, /^gave up after 3 attempts: network error: .*ECONNREFUSED/);
  });
});
