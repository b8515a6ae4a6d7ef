// `npm run dev:cluster` as a developer runs it (three Kafka nodes, two workers, two web servers on the production
// build), on ports of the test's own and a fresh database of its own on the suite's PostgreSQL server (the suite's
// database holds other files' unpublished events, which its relay would publish first): a quote started on one web server is read and
// decided by an agent on the other, and SIGINT (Ctrl-C) stops every process. Three JVMs and six Node processes. It runs
// on the production build in NEXT_DIST_DIR, which npm test makes before the integration suite for `*.build.` files
// (skipped without one, as after a failed build: building takes longer than a test file may).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { validDetails } from "../lib/http/testing/quote-api-client";
import { clusterNodePorts } from "./kafka/cluster";
import { dataDir, repoRoot } from "./lib/paths";
import { serverNodeArgs } from "./lib/server-node";
import { TEST_PORTS } from "./test/test-environment";

const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
const [first, second] = [TEST_PORTS.devClusterWeb, TEST_PORTS.devClusterWeb + 1].map((port) => `http://127.0.0.1:${port}`) as [string, string];
const kafkaPorts = [1, 2, 3].map((node) => clusterNodePorts(TEST_PORTS.devClusterKafka, node).port);
const kafkaDir = dataDir(offset ? `test-${offset}` : "test", "dev-cluster-kafka");
const distDir = process.env.NEXT_DIST_DIR || ".next";
const skip = !fs.existsSync(path.join(repoRoot, distDir, "BUILD_ID")) && `no production build in ${distDir}: run \`npm run build\` (with the same NEXT_DIST_DIR) first`;

let output = "";
let child: ReturnType<typeof spawn> | null = null;
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
const tail = () => output.split("\n").slice(-60).join("\n");

const suiteDatabase = new URL(process.env.DATABASE_URL ?? "");
const databaseName = `dev_cluster_${offset}`;
const databaseUrl = Object.assign(new URL(suiteDatabase), { pathname: `/${databaseName}` }).toString();
async function onServer(statement: string) {
  const admin = new pg.Client({ connectionString: Object.assign(new URL(suiteDatabase), { pathname: "/postgres" }).toString() });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (open: boolean) => (socket.destroy(), resolve(open));
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function api(base: string, method: string, pathname: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${base}${pathname}`, {
    method,
    headers: { ...(options.body === undefined ? {} : { "content-type": "application/json" }), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { res, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The customer's view on `base` once its projection has reached `version` (the other server wrote it). */
async function customerView(base: string, quoteId: string, version: number, auth: Record<string, string>) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { res, body, text } = await api(base, "GET", `/api/quotes/${quoteId}?minVersion=${version}`, { headers: auth });
    assert.equal(res.status, 200, text);
    if (!body.stale) return body;
    if (Date.now() > deadline) assert.fail(`${base} still answers a view older than version ${version}: ${text}`);
  }
}

before(async () => {
  if (skip) return;
  fs.rmSync(kafkaDir, { recursive: true, force: true });
  await onServer(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await onServer(`CREATE DATABASE ${databaseName}`);
  child = spawn(process.execPath, serverNodeArgs("scripts/dev-cluster.ts", "--build=never"), {
    env: {
      ...process.env,
      KAFKA_BROKERS: "",
      DATABASE_URL: databaseUrl,
      KAFKA_PORT: String(TEST_PORTS.devClusterKafka),
      KAFKA_DATA_DIR: kafkaDir,
      APP_PORT: String(TEST_PORTS.devClusterWeb),
      APPLICATION_NUMBER_SERVICE_PORT: String(TEST_PORTS.devClusterApplicationNumberService),
      APPLICATION_NUMBER_SERVICE_URL: `http://127.0.0.1:${TEST_PORTS.devClusterApplicationNumberService}`,
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  exited = new Promise((resolve) => child!.once("exit", (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    const stop = () => (clearInterval(check), clearTimeout(timer));
    const check = setInterval(() => /^Ready: /m.test(output) && (stop(), resolve()), 250);
    const timer = setTimeout(() => (stop(), reject(new Error(`dev:cluster not ready within 4 min:\n${tail()}`))), 4 * 60_000);
    void exited.then(({ code, signal }) => (stop(), reject(new Error(`dev:cluster exited (${signal ?? code}) before it was ready:\n${tail()}`))));
  });
}, { timeout: 5 * 60_000 });

after(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill("SIGINT");
    const timer = setTimeout(() => child!.kill("SIGKILL"), 90_000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(kafkaDir, { recursive: true, force: true });
  if (!skip) await onServer(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
}, { timeout: 2 * 60_000 });

describe("npm run dev:cluster", { skip, timeout: 5 * 60_000 }, () => {
  it("serves on both web servers: a quote started on one is read and decided by an agent on the other", async () => {
    for (const base of [first, second]) assert.equal((await api(base, "GET", "/api/ready")).res.status, 200, `${base}/api/ready`);

    const started = await api(first, "POST", "/api/quotes");
    assert.equal(started.res.status, 201, started.text);
    const quoteId = String(started.body.quoteId);
    const auth = { authorization: `Bearer ${String(started.body.accessToken)}` };
    for (const page of ["geographic", "contact", "family"] as const) {
      const saved = await api(first, "PUT", `/api/quotes/${quoteId}/${page}-details`, { body: validDetails[page], headers: auth });
      assert.equal(saved.res.status, 200, saved.text);
    }
    const submitted = await api(first, "POST", `/api/quotes/${quoteId}/submit`, { headers: auth });
    assert.equal(submitted.res.status, 200, submitted.text);

    // The submit's own version: the application number, assigned meanwhile, takes a version of its own.
    const seen = await customerView(second, quoteId, Number(submitted.body.version), auth);
    assert.equal(seen.status, "submitted");

    // The demo agent dev:cluster creates in its database and prints, as a developer would use it.
    const [, email, password] = output.match(/as (\S+@\S+) \/ (\S+)/) ?? [];
    assert.ok(email && password, `dev:cluster printed no demo agent:\n${tail()}`);
    const signedIn = await api(second, "POST", "/api/auth/sign-in/email", { body: { email, password }, headers: { origin: second } });
    assert.equal(signedIn.res.status, 200, signedIn.text);
    const cookie = signedIn.res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const decided = await api(second, "POST", `/api/admin/quotes/${quoteId}/approve`, { body: { reason: "Checked on the second server" }, headers: { cookie, origin: second } });
    assert.equal(decided.res.status, 200, decided.text);
    // The worker may have appended the application number meanwhile: the decision comes after whatever was there.
    assert.equal(decided.body.status, "approved", decided.text);
    assert.equal(decided.body.quoteId, quoteId);
    const decidedVersion = Number(decided.body.version);
    assert.ok(decidedVersion >= 6, decided.text);

    assert.equal((await customerView(first, quoteId, decidedVersion, auth)).status, "approved", "the first server sees the decision made on the second");
  });

  it("prefixes every line with its process: three Kafka nodes, two workers, two web servers", () => {
    for (const name of ["kafka-1", "kafka-2", "kafka-3", "worker-1", "worker-2", `next-${TEST_PORTS.devClusterWeb}`, `next-${TEST_PORTS.devClusterWeb + 1}`, "app-number"]) {
      assert.match(output, new RegExp(`^\\[${name}\\]`, "m"), `no line from ${name}`);
    }
    for (const worker of ["worker-1", "worker-2"]) assert.match(output, new RegExp(`^\\[${worker}\\].*worker started`, "m"), `${worker} did not start`);
  });

  it("SIGINT (Ctrl-C) stops every process, brokers included", async () => {
    child!.kill("SIGINT");
    const timer = setTimeout(() => child!.kill("SIGKILL"), 90_000);
    const { code, signal } = await exited;
    clearTimeout(timer);
    assert.equal(signal, null, tail());
    assert.equal(code, 0, tail());
    const open = [];
    for (const port of [TEST_PORTS.devClusterWeb, TEST_PORTS.devClusterWeb + 1, TEST_PORTS.devClusterApplicationNumberService, ...kafkaPorts]) {
      if (await portOpen(port)) open.push(port);
    }
    assert.deepEqual(open, [], "ports still answering after Ctrl-C");
    const pidFiles = [1, 2, 3].map((node) => path.join(kafkaDir, `node-${node}`, "broker.pid")).filter((file) => fs.existsSync(file));
    assert.deepEqual(pidFiles, [], "a broker still running");
  });
});
