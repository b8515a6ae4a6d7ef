import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { waitForHttp } from "./lib/processes";
import { serverNodeArgs } from "./lib/server-node";
import { TEST_PORTS } from "./test/test-environment";

const port = TEST_PORTS.applicationNumberServiceUnderTest;
const base = `http://127.0.0.1:${port}`;
let service: ChildProcess;
const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "app-numbers-")), "numbers.jsonl");

function startService(env: Record<string, string> = {}) {
  service = spawn(process.execPath, serverNodeArgs("scripts/application-number-service.ts"), {
    env: { ...process.env, APPLICATION_NUMBER_SERVICE_PORT: String(port), APPLICATION_NUMBER_STORE: store, APPLICATION_NUMBER_LATENCY_MS: "0", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return waitForHttp(`${base}/health`, 15_000);
}
async function stopService() {
  const exited = new Promise((resolve) => service.once("exit", resolve));
  service.kill("SIGTERM");
  await exited;
}
const request = (requestId: unknown) =>
  fetch(`${base}/application-numbers`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ requestId }) });
const control = (knobs: object) => fetch(`${base}/control`, { method: "PUT", body: JSON.stringify(knobs) });

describe("application-number stand-in (its own HTTP process)", () => {
  before(() => startService());
  after(() => stopService());

  it("issues numbers like APP-2026-000123, the same one for the same request id", async () => {
    const first = await request("quote-a");
    assert.equal(first.status, 201);
    const { applicationNumber } = (await first.json()) as { applicationNumber: string };
    assert.match(applicationNumber, new RegExp(`^APP-${new Date().getFullYear()}-\\d{6}$`));
    const again = (await (await request("quote-a")).json()) as { applicationNumber: string };
    assert.equal(again.applicationNumber, applicationNumber);
    const other = (await (await request("quote-b")).json()) as { applicationNumber: string };
    assert.notEqual(other.applicationNumber, applicationNumber);
  });

  it("keeps the same number for a request id across a restart", async () => {
    const before = (await (await request("quote-restart")).json()) as { applicationNumber: string };
    await stopService();
    await startService();
    const afterRestart = (await (await request("quote-restart")).json()) as { applicationNumber: string };
    assert.equal(afterRestart.applicationNumber, before.applicationNumber);
  });

  it("fails about as often as its failure-rate knob says, and waits as long as its latency knob", async () => {
    await control({ failureRate: 0.5, latencyMs: 0 });
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => request(`rate-${i}`).then((r) => r.status)));
    const failures = statuses.filter((s) => s === 503).length;
    assert.ok(failures > 60 && failures < 140, `expected about half of 200 to fail, got ${failures}`);
    await control({ failureRate: 0, latencyMs: 300 });
    const started = Date.now();
    assert.equal((await request("slow")).status, 201);
    assert.ok(Date.now() - started >= 290, "latency knob applied");
    await control({ latencyMs: 0 });
  });

  it("refuses a request without a request id with a problem naming the field", async () => {
    const res = await request("");
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("content-type"), "application/problem+json");
    assert.match(((await res.json()) as { detail: string }).detail, /requestId: requestId must not be empty/);
  });
});
