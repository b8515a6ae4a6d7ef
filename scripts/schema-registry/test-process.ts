// For integration tests: the schema registry stand-in as its own process, on a port and store of the test's own,
// stopped by its pid.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { waitForHttp } from "../lib/processes";
import { serverNodeArgs } from "../lib/server-node";

export interface StandInProcess {
  url: string;
  pid: number;
  /** Starts it again on the same port and store (after `stop`). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSchemaRegistryStandIn(options: { port: number; env?: Record<string, string> }): Promise<StandInProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "schema-registry-")), "store.json");
  let child: ChildProcess;
  const start = async () => {
    child = spawn(process.execPath, serverNodeArgs("scripts/schema-registry-service.ts"), {
      env: { ...process.env, SCHEMA_REGISTRY_SERVICE_PORT: String(options.port), SCHEMA_REGISTRY_STORE: store, ...options.env },
      stdio: ["ignore", "ignore", "inherit"],
    });
    await waitForHttp(`${url}/health`, 20_000);
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(child.pid!, "SIGTERM");
    await exited;
  };
  await start();
  return {
    url,
    get pid() {
      return child.pid!;
    },
    restart: start,
    stop,
  };
}
