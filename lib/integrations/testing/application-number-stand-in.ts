// For tests: runs scripts/application-number-service.ts as its own process on a free loopback port,
// with a throw-away store, and talks to its /health and /control routes.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitForHttp } from "../../../scripts/lib/processes";
import { serverNodeArgs } from "../../../scripts/lib/server-node";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** A port nothing listens on right now (the OS picks it; never 4190, which fetch refuses). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface StandIn {
  baseUrl: string;
  /** The stand-in's count of valid POSTs it received (it counts before simulating latency or failure). */
  requests(): Promise<number>;
  control(knobs: { latencyMs?: number; failureRate?: number }): Promise<void>;
  stop(): Promise<void>;
}

export async function startStandIn(knobs: { latencyMs?: number; failureRate?: number } = {}): Promise<StandIn> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "app-number-client-")), "numbers.jsonl");
  const child: ChildProcess = spawn(process.execPath, serverNodeArgs("scripts/application-number-service.ts"), {
    cwd: repoRoot,
    env: {
      ...process.env,
      APPLICATION_NUMBER_SERVICE_PORT: String(port),
      APPLICATION_NUMBER_STORE: store,
      // Far from the app's own stand-in (which starts at 123), so numbers issued in tests never repeat the app's.
      APPLICATION_NUMBER_FIRST: String(500_000 + Math.floor(Math.random() * 400_000)),
      APPLICATION_NUMBER_LATENCY_MS: String(knobs.latencyMs ?? 0),
      APPLICATION_NUMBER_FAILURE_RATE: String(knobs.failureRate ?? 0),
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(path.dirname(store), { recursive: true, force: true });
  }

  try {
    await Promise.race([waitForHttp(`${baseUrl}/health`, 15_000), exited.then(() => Promise.reject(new Error(`stand-in exited (code ${child.exitCode})`)))]);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    baseUrl,
    async requests() {
      const res = await fetch(`${baseUrl}/health`);
      return ((await res.json()) as { requests: number }).requests;
    },
    async control(next) {
      const res = await fetch(`${baseUrl}/control`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(next) });
      if (!res.ok) throw new Error(`PUT /control → ${res.status} ${await res.text()}`);
    },
    stop,
  };
}
