// For tests: runs scripts/mail-catcher.ts as its own process on loopback ports of its own, and reads what it caught.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitForHttp } from "../../../scripts/lib/processes";
import { serverNodeArgs } from "../../../scripts/lib/server-node";
import { freePort } from "../../integrations/testing/application-number-stand-in";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** A message as the catcher's `GET /messages` lists it. */
export interface CaughtEmail {
  messageId: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** ISO 8601: when the catcher received it. */
  receivedAt: string;
  /** How many messages with this Message-ID the catcher received (a resend counts 2). */
  deliveries: number;
}

export interface MailCatcher {
  smtpUrl: string;
  httpUrl: string;
  messages(to?: string): Promise<CaughtEmail[]>;
  control(knobs: { latencyMs?: number; failureRate?: number }): Promise<void>;
  /** Stops the process (SMTP refuses connections until `start`). */
  stop(): Promise<void>;
  /** Starts it again on the same ports, with nothing caught (nothing when it runs). */
  start(): Promise<void>;
}

export async function startMailCatcher(ports: { smtp?: number; http?: number } = {}): Promise<MailCatcher> {
  const smtpPort = ports.smtp ?? (await freePort());
  const httpPort = ports.http ?? (await freePort());
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  async function start() {
    if (child) return;
    const process_ = spawn(process.execPath, serverNodeArgs("scripts/mail-catcher.ts"), {
      cwd: repoRoot,
      env: { ...process.env, MAIL_CATCHER_SMTP_PORT: String(smtpPort), MAIL_CATCHER_HTTP_PORT: String(httpPort), MAIL_CATCHER_FAILURE_RATE: "0", MAIL_CATCHER_LATENCY_MS: "0" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child = process_;
    exited = new Promise<void>((resolve) => process_.once("exit", () => resolve()));
    try {
      await Promise.race([waitForHttp(`${httpUrl}/health`, 15_000), exited.then(() => Promise.reject(new Error(`mail catcher exited (code ${process_.exitCode})`)))]);
    } catch (error) {
      await stop();
      throw error;
    }
  }

  async function stop() {
    const running = child;
    if (running && running.exitCode === null && running.signalCode === null) {
      running.kill("SIGTERM");
      const timer = setTimeout(() => running.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
    child = null;
  }

  await start();
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    httpUrl,
    async messages(to) {
      const res = await fetch(`${httpUrl}/messages${to ? `?to=${encodeURIComponent(to)}` : ""}`);
      return (await res.json()) as CaughtEmail[];
    },
    async control(knobs) {
      const res = await fetch(`${httpUrl}/control`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(knobs) });
      if (!res.ok) throw new Error(`PUT /control → ${res.status} ${await res.text()}`);
    },
    stop,
    start,
  };
}
