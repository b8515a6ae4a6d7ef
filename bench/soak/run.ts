// npm run test:soak -- --minutes 30 — a steady load on `npm run dev:cluster` (three Kafka nodes, two web servers, two
// workers, the stand-in, PostgreSQL) while each process's memory, the relay backlog and the projection lag are
// sampled every minute; writes bench/SOAK.md and bench/soak.svg, and fails when memory grows or the lag does not stay
// bounded. Not part of CI (it runs for as long as it is told).
//   --minutes N          how long the load runs (default 30)
//   --rate R             commands per second (default 5: one customer journey of five commands a second)
//   --sample-seconds S   how often to sample (default 60)
//   --build=auto|reuse   the production build, as for dev:cluster (default auto: rebuilt when the sources are newer)
// Its own ports (web 3700 and 3701, Kafka 29700…, stand-in 4700), database and data under .data/soak; stops
// everything it started.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { startEmbeddedPostgres } from "../../scripts/db/embedded-postgres";
import { dataDir } from "../../scripts/lib/paths";
import { serverNodeArgs } from "../../scripts/lib/server-node";
import { machineInfo } from "../support/machine";
import { memoryByRole } from "./process-memory";
import { judgeSoak, writeSoakReport, type SoakSample } from "./soak-report";
import { call, PAGE_ANSWERS, startSteadyLoad } from "./steady-load";

function option(name: string, fallback: number): number {
  const argv = process.argv.slice(2);
  const index = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (index < 0) return fallback;
  const raw = argv[index]!.includes("=") ? argv[index]!.split("=")[1] : argv[index + 1];
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} must be a positive number (got ${raw ?? "nothing"})`);
    process.exit(2);
  }
  return value;
}

const minutes = option("minutes", 30);
const rate = option("rate", 5);
const sampleSeconds = option("sample-seconds", 60);
const build = process.argv.find((a) => a.startsWith("--build="))?.slice("--build=".length) ?? "auto";
const WEB_PORT = 3700;
const KAFKA_PORT = 29700;
const STAND_IN_PORT = 4700;
const POSTGRES_URL = "postgresql://postgres:postgres@127.0.0.1:54700/quotes";
const root = dataDir("soak");
const log = (line: string) => console.log(`[soak] ${line}`);

fs.rmSync(root, { recursive: true, force: true });
fs.mkdirSync(root, { recursive: true });
const machineAtStart = machineInfo();
const postgres = await startEmbeddedPostgres({ url: POSTGRES_URL, directory: `${root}/postgres` });
log(`PostgreSQL pid ${postgres.pid} on ${POSTGRES_URL.replace(/:[^:@/]+@/, ":***@")}`);
// The worker routes answer a bearer of this secret; it stays in this process and its children's environment.
const workerSecret = randomBytes(24).toString("base64url");
const output: string[] = [];
const cluster = spawn(process.execPath, serverNodeArgs("scripts/dev-cluster.ts", `--build=${build}`), {
  env: {
    ...process.env,
    KAFKA_BROKERS: "",
    DATABASE_URL: POSTGRES_URL,
    KAFKA_PORT: String(KAFKA_PORT),
    KAFKA_DATA_DIR: `${root}/kafka`,
    APP_PORT: String(WEB_PORT),
    APPLICATION_NUMBER_SERVICE_PORT: String(STAND_IN_PORT),
    APPLICATION_NUMBER_SERVICE_URL: `http://127.0.0.1:${STAND_IN_PORT}`,
    APPLICATION_NUMBER_STORE: `${root}/application-numbers.jsonl`,
    WORKER_DRAIN_SECRET: workerSecret,
    // One client address (this script) starts every quote.
    QUOTE_START_RATE_LIMIT: "100000",
    LOG_LEVEL: "warn",
  },
  stdio: ["ignore", "pipe", "pipe"],
});
for (const stream of [cluster.stdout!, cluster.stderr!]) stream.on("data", (chunk: Buffer) => output.push(...chunk.toString().split("\n").filter(Boolean).slice(-200)));
const clusterExited = new Promise<void>((resolve) => cluster.once("exit", () => resolve()));
const tail = () => output.slice(-40).join("\n");

async function stopEverything() {
  if (cluster.exitCode === null && cluster.signalCode === null) {
    cluster.kill("SIGINT");
    const timer = setTimeout(() => cluster.kill("SIGKILL"), 90_000);
    await clusterExited;
    clearTimeout(timer);
  }
  await postgres.stop();
}

let exitCode = 1;
try {
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => output.some((line) => line.startsWith("Ready: ")) && (clearInterval(check), resolve()), 250);
    setTimeout(() => (clearInterval(check), reject(new Error(`dev:cluster not ready within 6 min:\n${tail()}`))), 6 * 60_000).unref();
    void clusterExited.then(() => (clearInterval(check), reject(new Error(`dev:cluster exited before it was ready:\n${tail()}`))));
  });
  const baseUrls = [WEB_PORT, WEB_PORT + 1].map((port) => `http://127.0.0.1:${port}`);
  log(`dev:cluster ready (${baseUrls.join(", ")}); ${rate} commands/s for ${minutes} min, sampled every ${sampleSeconds} s`);

  // A quote of the sampler's own: each sample saves its contact page once more and times until the read model has it.
  const probe = await call(baseUrls[1]!, "POST", "/api/quotes", undefined, {});
  const probeAuth = { authorization: `Bearer ${String(probe.body.accessToken)}` };
  async function freshnessMs(): Promise<number | null> {
    const saved = await call(baseUrls[0]!, "PUT", `/api/quotes/${String(probe.body.quoteId)}/contact-details`, PAGE_ANSWERS.contact, probeAuth);
    if (saved.status !== 200) return null;
    const acknowledged = performance.now();
    for (const deadline = acknowledged + 60_000; performance.now() < deadline; ) {
      const seen = await call(baseUrls[1]!, "GET", `/api/quotes/${String(probe.body.quoteId)}?minVersion=${String(saved.body.version)}`, undefined, probeAuth);
      if (seen.status === 200 && !seen.body.stale) return performance.now() - acknowledged;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return null;
  }

  let endLoad!: () => void;
  const load = startSteadyLoad(baseUrls, rate, new Promise<void>((resolve) => (endLoad = resolve)));
  const samples: SoakSample[] = [];
  const startedAt = Date.now();
  const sample = async () => {
    const status = await call(baseUrls[0]!, "GET", "/api/worker", undefined, { authorization: `Bearer ${workerSecret}` });
    const worker = status.body as { relayBacklog?: number; projection?: { totalLag?: number }; deadLetters?: { parked?: number } };
    const taken: SoakSample = {
      minute: (Date.now() - startedAt) / 60_000,
      memoryMiB: Object.fromEntries([...memoryByRole([cluster.pid!, postgres.pid])].map(([role, bytes]) => [role, bytes / 2 ** 20])),
      relayBacklog: worker.relayBacklog ?? null,
      projectionLagEvents: worker.projection?.totalLag ?? null,
      freshnessMs: await freshnessMs(),
      acknowledged: load.counts.acknowledged,
      failed: [...load.counts.failed.values()].reduce((a, b) => a + b, 0),
    };
    samples.push(taken);
    const memory = Object.entries(taken.memoryMiB).map(([role, mib]) => `${role} ${mib.toFixed(0)}`).join(", ");
    log(`${taken.minute.toFixed(1)} min: acknowledged ${taken.acknowledged}, failed ${taken.failed}, backlog ${taken.relayBacklog}, lag ${taken.projectionLagEvents} events, freshness ${taken.freshnessMs?.toFixed(0) ?? "n/a"} ms; MiB: ${memory}`);
  };
  await sample();
  const endAt = startedAt + minutes * 60_000;
  while (Date.now() < endAt) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(sampleSeconds * 1000, Math.max(0, endAt - Date.now()))));
    if (cluster.exitCode !== null) throw new Error(`dev:cluster exited during the load:\n${tail()}`);
    await sample();
  }
  endLoad();
  await load.finished;
  const verdict = judgeSoak(samples);
  writeSoakReport({ samples, minutes, rate, sampleSeconds, counts: load.counts, verdict, machineAtStart, machineAtEnd: machineInfo() });
  log(`wrote bench/SOAK.md and bench/soak.svg: ${verdict.passed ? "PASS" : "FAIL"} — ${verdict.reasons.join("; ")}`);
  exitCode = verdict.passed ? 0 : 1;
} catch (error) {
  console.error(`[soak] ${(error as Error).message}`);
} finally {
  log("stopping everything this run started ...");
  await stopEverything();
}
process.exit(exitCode);
