/** The benchmark run: servers, the six benchmarks in an order that keeps them from disturbing each other, the report. */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { config } from "../lib/config";
import { createPrismaClient } from "../lib/db/prisma";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { builtInRegistry } from "../lib/messaging/avro/schema-registry";
import { createKafka } from "../lib/messaging/kafka-client";
import { quoteEventsTopic } from "../lib/messaging/topics";
import { disconnectReadModelClients, activeGeneration } from "../lib/projections/generations";
import { workerStatus } from "../lib/worker/worker-status";
import { startStack, type RunningStack } from "../scripts/lib/stack";
import { repoRoot } from "../scripts/lib/paths";
import { startTestServers, type TestServers } from "../scripts/test/test-environment";
import { commandBreakdown, type BreakdownResult } from "./breakdown";
import { benchCodec, type CodecResult } from "./codec";
import { applyBreakdown, type ApplyBreakdown } from "./apply-breakdown";
import { busiestProfile, summarizeProfile, type ProfileSummary } from "./profile";
import { benchCommandPath, benchScaleOut, insertQuotePool, load, type CommandPathResult, type PoolQuote, type ScaleOutResult } from "./command-path";
import { freshnessRun, kafkaRoundTrip, parkPoisonMessage, type FreshnessRun, type PoisonSetup } from "./freshness";
import { pageWeight, type PageWeightResult } from "./page-weight";
import { benchRebuild, type RebuildResult } from "./rebuild";
import { benchRelay, relayBreakdown, type RelayBreakdown, type RelayResult } from "./relay";
import { writeReport } from "./report";
import { startAppProcess, type AppProcess } from "./support/app-process";
import { ensureBuild, type BuildInfo } from "./support/build";
import { machineInfo, type MachineInfo } from "./support/machine";
import { fmt, sleep, waitFor, type Summary } from "./support/stats";
import { sealedSyntheticQuotes, syntheticQuotes } from "./support/synthetic";
import { startWorkerProcess, type WorkerProcess } from "./support/worker-process";
import { benchTracing, type TracingResult } from "./tracing";
import { benchEncryption, type EncryptionResult } from "./encryption";

export interface BenchOptions {
  quick: boolean;
  /** Only a CPU profile of next start and the worker under the command load (no benchmarks). */
  profile?: boolean;
  build: "auto" | "reuse" | "always" | "never";
  only: Set<number> | null;
  offset: number;
  distDir: string;
}

export interface BenchResults {
  quick: boolean;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  command: string;
  machine: MachineInfo;
  loadAverageAtEnd: number[];
  build?: BuildInfo;
  commandPath?: CommandPathResult;
  /** 1c: 16 clients on 1 and 2 app processes, without and with EVENT_STORE_GLOBAL_LOCK. */
  scaleOut?: ScaleOutResult;
  breakdown?: BreakdownResult;
  relay?: RelayResult;
  relayBreakdown?: RelayBreakdown;
  rebuild?: RebuildResult;
  applyBreakdown?: ApplyBreakdown;
  freshness?: { runs: FreshnessRun[]; baseline: Array<Summary & { rate: number; sent: number; received: number }>; fastPoll?: FreshnessRun & { pollIntervalMs: number } };
  /** 4c: freshness of healthy quotes at 100/s while one quote's message is parked. */
  freshnessPoison?: { setup: PoisonSetup; run: FreshnessRun };
  codec?: CodecResult;
  pageWeight?: PageWeightResult & { htmlCheck?: { route: string; scripts: number; gzipBytes: number } };
  /** 7: the command path with tracing exported over OTLP against tracing off. */
  tracing?: TracingResult;
  /** 8: the command path and the relay with personal values encrypted against plain. */
  encryption?: EncryptionResult;
  profile?: { seconds: number; clients: number; requests: number; processes: Array<{ process: string } & ProfileSummary> };
  errors: string[];
  /** Rows measured later by `--only` runs and merged in. */
  partialRuns?: Array<{ benchmarks: number[]; command: string; finishedAt: string; loadAverageAtEnd: number[]; errors: string[] }>;
}

const log = (line: string) => console.log(`[bench] ${line}`);

/**
 * A `--only` run's rows replace those rows of the saved run of the same size; the others stay, so `--report` shows
 * the whole set. The saved run keeps its own header; `partialRuns` says which rows came later, and when.
 */
function mergedIntoSaved(file: string, results: BenchResults, only: Set<number>): BenchResults {
  if (!fs.existsSync(file)) return results;
  const saved = JSON.parse(fs.readFileSync(file, "utf8")) as BenchResults;
  const rows = Object.fromEntries(Object.entries(results).filter(([name, value]) => value !== undefined && !RUN_FIELDS.has(name)));
  const partialRuns = [...(saved.partialRuns ?? []), { benchmarks: [...only], command: results.command, finishedAt: results.finishedAt, loadAverageAtEnd: results.loadAverageAtEnd, errors: results.errors }];
  return { ...saved, ...rows, partialRuns };
}

const RUN_FIELDS = new Set(["quick", "startedAt", "finishedAt", "seconds", "command", "machine", "loadAverageAtEnd", "errors", "partialRuns"]);

export async function runBenchmarks(options: BenchOptions): Promise<number> {
  const wants = (n: number) => !options.only || options.only.has(n);
  const started = Date.now();
  const q = options.quick;
  const results: BenchResults = {
    quick: q,
    startedAt: new Date(started).toISOString(),
    finishedAt: "",
    seconds: 0,
    command: `npm run bench -- ${[q ? "--quick" : "", options.only ? `--only=${[...options.only].join(",")}` : "", options.profile ? "--profile" : ""].filter(Boolean).join(" ")}`.replace(/ -- $/, ""),
    machine: machineInfo(),
    loadAverageAtEnd: [],
    errors: [],
  };
  log(`${q ? "quick" : "full"} run on ${results.machine.cpus} CPUs, ${results.machine.memoryGiB} GiB, load ${results.machine.loadAverage.join(" ")}; ports offset ${options.offset}`);

  let servers: TestServers | null = null;
  let stack: RunningStack | null = null;
  let extraWorker: WorkerProcess | null = null;
  /** next-server processes this run started beside the stack's (1c); each is stopped by its pid. */
  const extraApps = new Set<AppProcess>();
  let db: PrismaClient | null = null;
  let pool: pg.Pool | null = null;
  let stopping = false;
  const cleanUp = async () => {
    if (stopping) return;
    stopping = true;
    await extraWorker?.stop().catch(() => {});
    for (const app of extraApps) await app.stop().catch(() => {});
    extraApps.clear();
    await stack?.stop().catch(() => {});
    await disconnectReadModelClients().catch(() => {});
    await db?.$disconnect().catch(() => {});
    await pool?.end().catch(() => {});
    await servers?.stop().catch(() => {});
  };
  const onSignal = () => void cleanUp().then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    const t = Date.now();
    log(`${name} ...`);
    try {
      const value = await fn();
      log(`${name}: done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      return value;
    } catch (error) {
      const message = `${name}: ${(error as Error).stack ?? error}`;
      results.errors.push(message.split("\n").slice(0, 6).join("\n"));
      log(`FAILED ${message}`);
      return undefined;
    }
  };

  // The app runs as it does by default (no global append lock) unless a benchmark asks for the lock itself.
  process.env.EVENT_STORE_GLOBAL_LOCK = "false";
  // Lets the bench read GET /api/worker (the parked messages) as a scheduler would.
  const drainSecret = randomBytes(24).toString("base64url");

  try {
    servers = await startTestServers((line) => log(line));
    Object.assign(process.env, servers.env, { LOG_LEVEL: process.env.LOG_LEVEL });
    const env = config();
    const databaseUrl = env.DATABASE_URL;
    const brokers = env.KAFKA_BROKERS!.join(",");
    db = createPrismaClient(databaseUrl);
    pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
    const kafka = createKafka("bench")!;
    const registry = builtInRegistry();

    // 5. Codec: pure CPU, first, while nothing else runs.
    if (wants(5)) {
      results.codec = await step("5 Avro vs JSON", async () => {
        const r = benchCodec(sealedSyntheticQuotes(200).flat(), registry, { ms: q ? 400 : 2_000, rounds: q ? 2 : 3 });
        log(`  Avro ${fmt(r.avro.opsPerSecond)} ops/s, ${fmt(r.avro.bytesPerEvent)} B/event | JSON ${fmt(r.json.opsPerSecond)} ops/s, ${fmt(r.json.bytesPerEvent)} B/event`);
        return r;
      });
    }

    // 2 and 3 use the topic before any worker runs: the relay fills quote-events, the rebuild reads it back.
    const events = syntheticQuotes((q ? 50_000 : 200_000) / 5).flat();
    if (wants(2) || wants(3)) {
      results.relay = await step("2 relay → Kafka", () => benchRelay({ db: db!, pool: pool!, kafka, brokers, registry, events, naiveEvents: q ? 100 : 500, log }));
      if (results.relay && wants(3)) results.rebuild = await step("3 projection rebuild", () => benchRebuild({ db: db!, databaseUrl, kafka, registry, events: events.length, log }));
      if (wants(3)) {
        results.applyBreakdown = await step("3b projection breakdown (applyBatch)", async () => {
          const r = await applyBreakdown({ db: db!, databaseUrl, events: events.slice(0, q ? 2_000 : 20_000) });
          log(`  applyBatch: ${Math.round(r.applyBatch.eventsPerSecond)} events/s`);
          for (const [name, p] of Object.entries(r.steps)) log(`  ${name}: ${fmt(p.perBatchMs)} ms/batch (${Math.round(p.share * 100)}%)`);
          return r;
        });
      }
      if (results.relay && wants(2)) {
        results.relayBreakdown = await step("2b relay breakdown", async () => {
          const r = await relayBreakdown({ db: db!, pool: pool!, kafka, registry, count: q ? 10_000 : 20_000, batchSizes: [500, 2_000] });
          for (const [name, p] of Object.entries(r.phases)) log(`  ${name}: ${fmt(p.perBatchMs)} ms/batch (${Math.round(p.share * 100)}%)`);
          for (const b of r.byBatchSize) log(`  publishBatch(${b.batchSize}): ${Math.round(b.eventsPerSecond)} events/s`);
          return r;
        });
      }
    }

    if (wants(8)) {
      results.encryption = await step("8 personal-data encryption (command path in process, relay)", () =>
        benchEncryption({ db: db!, pool: pool!, kafka, registry, relayQuotes: q ? 2_000 : 8_000, clients: 16, seconds: q ? 3 : 10, rounds: q ? 2 : 3, log }),
      );
    }

    if (wants(1) || wants(4) || wants(6) || wants(7) || options.profile) {
      results.build = await step("production build", () => ensureBuild(options.distDir, options.build, log));
    }

    if (options.profile && results.build) {
      results.profile = await step("CPU profile of the app under the command load", () => profileRun(pool!, databaseUrl, kafka, q, (s) => (stack = s)));
      stack = null;
    }

    if ((wants(1) || wants(4) || wants(7)) && results.build && !options.profile) {
      // A clean slate for the live app: the bench events are gone from the store, and the app's projector group
      // starts at the end of the topic (what is already there was the relay/rebuild benchmarks' data).
      await pool.query("TRUNCATE events, quote_access_tokens, scheduled_commands, idempotency_records");
      await pool.query("VACUUM ANALYZE events");
      const admin = new Kafka({ clientId: "bench-setup", brokers: env.KAFKA_BROKERS!, logLevel: logLevel.WARN }).admin();
      await admin.connect();
      await admin.resetOffsets({ groupId: env.PROJECTION_GROUP, topic: quoteEventsTopic(), earliest: false });
      await admin.disconnect();

      stack = await startStack({ kafka: true, production: true, quiet: true, env: { NODE_ENV: "production", BENCH_ROUTES: "1", PROJECTION_GROUP: env.PROJECTION_GROUP, WORKER_DRAIN_SECRET: drainSecret, EVENT_STORE_GLOBAL_LOCK: "false" } });
      const baseUrl = stack.baseUrl;
      log(`app on ${baseUrl} (next start, ${options.distDir}), worker projecting from Kafka`);
      const bare = await fetch(`${baseUrl}/api/bench/bare?quoteId=x`, { method: "PUT", body: "{}", headers: { "content-type": "application/json" } });
      if (bare.status !== 200) throw new Error(`the bare route answered ${bare.status}: is app/api/bench/bare/route.ts in the build?`);

      const poolQuotes: PoolQuote[] = (await step("starting the quote pool", () => insertQuotePool(pool!, q ? 1_000 : 4_000))) ?? [];
      const settle = () =>
        waitFor("worker caught up", async () => {
          const s = await workerStatus(db!, databaseUrl, kafka);
          return s.relayBacklog === 0 && s.scheduledCommandsPending === 0 && s.projection.totalLag === 0;
        }, 120_000, 250);
      await settle();

      if (wants(1) && poolQuotes.length) {
        results.commandPath = await step("1 command path (autocannon)", () => benchCommandPath({ baseUrl, pool: poolQuotes, seconds: q ? 3 : 15, levels: [1, 16, 64], log }));
        const { rows } = await pool.query<{ mean: string }>("SELECT avg(c)::float AS mean FROM (SELECT count(*) AS c FROM events GROUP BY stream_id) s");
        if (results.commandPath) results.commandPath.meanEventsPerQuoteAfter = Number(rows[0]?.mean ?? 0);

        // 1c: the same 16 clients on 1 and 2 app processes, without and with the global append lock.
        results.scaleOut = await step("1c scale-out (1 and 2 app processes, without and with the global lock)", async () => {
          const running = stack!;
          const pools = [await insertQuotePool(pool!, q ? 1_000 : 4_000), await insertQuotePool(pool!, q ? 1_000 : 4_000)];
          await settle();
          const appPort = Number(running.env.APP_PORT ?? env.APP_PORT);
          const start = async (port: number, globalLock: boolean) => {
            const app = await startAppProcess({ ...running.env, EVENT_STORE_GLOBAL_LOCK: String(globalLock) }, port);
            extraApps.add(app);
            log(`  started next-server pid ${app.pid} on ${app.baseUrl} (EVENT_STORE_GLOBAL_LOCK=${globalLock})`);
            return app;
          };
          const stop = async (apps: AppProcess[]) => {
            for (const app of apps) {
              await app.stop();
              extraApps.delete(app);
              log(`  stopped next-server pid ${app.pid}`);
            }
          };
          const stackNext = running.processes.find((p) => p.name === "next");
          let unlocked: AppProcess[] = [];
          let locked: AppProcess[] = [];
          return benchScaleOut({
            clients: 16,
            seconds: q ? 3 : 15,
            warmSeconds: 2,
            pools,
            log,
            setups: [
              {
                globalLock: false,
                processes: async () => {
                  unlocked = [await start(appPort + 10, false)];
                  return [{ pid: stackNext?.child.pid ?? 0, baseUrl }, ...unlocked];
                },
                release: () => stop(unlocked),
              },
              {
                globalLock: true,
                processes: async () => {
                  locked = await Promise.all([start(appPort + 11, true), start(appPort + 12, true)]);
                  return locked;
                },
                release: () => stop(locked),
              },
            ],
          });
        });
      }

      if (wants(7) && poolQuotes.length) {
        results.tracing = await step("7 tracing overhead (command path, OTLP export on vs off)", async () => {
          const pools: [PoolQuote[], PoolQuote[]] = [await insertQuotePool(pool!, q ? 1_000 : 4_000), await insertQuotePool(pool!, q ? 1_000 : 4_000)];
          await settle();
          const appPort = Number(stack!.env.APP_PORT ?? env.APP_PORT);
          return benchTracing({ env: stack!.env, ports: [appPort + 20, appPort + 21], pools, clients: 16, seconds: q ? 3 : 15, rounds: q ? 2 : 3, log, track: extraApps });
        });
      }

      if (wants(6) && poolQuotes.length) {
        // Cross-check of the manifest figure: the scripts a real page load of a wizard step references.
        const check = await step("6 page weight: HTML check", () => htmlScriptWeight(baseUrl, poolQuotes[0]!, options.distDir));
        if (check) results.pageWeight = { ...pageWeight(path.resolve(repoRoot, options.distDir)), htmlCheck: check };
      }

      if (wants(4) && poolQuotes.length) {
        await settle();
        const schema = await activeGeneration(db);
        results.freshness = await step("4 freshness", async () => {
          const runs: FreshnessRun[] = [];
          const baseline: Array<Summary & { rate: number; sent: number; received: number }> = [];
          for (const rate of [100, 500]) {
            const run = await freshnessRun({ baseUrl, databaseUrl, kafka, registry, pool: poolQuotes, rate, seconds: q ? 3 : 20, schema });
            log(`  ${rate}/s: sent ${run.sent}, shed ${run.shed}, acknowledged ${run.acknowledged}, seen ${run.seen}; ack p50 ${fmt(run.ack.p50)} ms; freshness p50 ${fmt(run.freshness.p50)} ms p99 ${fmt(run.freshness.p99)} ms`);
            log(`    split: ack → published p50 ${fmt(run.split.ackToPublished.p50)} ms p99 ${fmt(run.split.ackToPublished.p99)} ms; published → visible p50 ${fmt(run.split.publishedToVisible.p50)} ms p99 ${fmt(run.split.publishedToVisible.p99)} ms`);
            runs.push(run);
            await settle();
            const floor = await kafkaRoundTrip(kafka, rate, q ? 3 : 10);
            log(`  ${rate}/s Kafka round trip (baseline): p50 ${fmt(floor.p50)} ms p99 ${fmt(floor.p99)} ms (${floor.received}/${floor.sent})`);
            baseline.push({ ...floor, rate });
          }
          return { runs, baseline };
        });
        // 4c: the same at 100/s with one quote's message parked (and one held behind it) in the dead-letter table.
        results.freshnessPoison = await step("4c freshness while a poison message is parked", async () => {
          await settle();
          const setup = await parkPoisonMessage({ pool: pool!, schema, baseUrl, drainSecret });
          log(`  parked after ${fmt(setup.secondsToPark, 2)} s: quote ${setup.quoteId} (${setup.states.join(", ")}): ${setup.reason}`);
          if (setup.api) log(`  GET /api/worker: ${setup.api.parked} parked, ${setup.api.held} held, listed: ${setup.api.listed}`);
          await settle();
          const run = await freshnessRun({ baseUrl, databaseUrl, kafka, registry, pool: poolQuotes, rate: 100, seconds: q ? 3 : 20, schema });
          log(`  100/s with a parked message: seen ${run.seen}/${run.acknowledged}; freshness p50 ${fmt(run.freshness.p50)} ms p99 ${fmt(run.freshness.p99)} ms max ${fmt(run.freshness.max)} ms`);
          return { setup, run };
        });
        // What the relay's idle poll costs: the same at 100/s with the worker polling every 20 ms instead of 200 ms.
        if (results.freshness) {
          const fast = await step("4b freshness with WORKER_POLL_INTERVAL_MS=20", async () => {
            const original = stack!.processes.find((p) => p.name === "worker");
            await original?.stop();
            extraWorker = await startWorkerProcess({ ...stack!.env, WORKER_POLL_INTERVAL_MS: "20" });
            await settle();
            const run = await freshnessRun({ baseUrl, databaseUrl, kafka, registry, pool: poolQuotes, rate: 100, seconds: q ? 3 : 20, schema });
            log(`  100/s, poll 20 ms: freshness p50 ${fmt(run.freshness.p50)} ms p99 ${fmt(run.freshness.p99)} ms; ack → published p50 ${fmt(run.split.ackToPublished.p50)} ms, published → visible p50 ${fmt(run.split.publishedToVisible.p50)} ms`);
            return { ...run, pollIntervalMs: 20 };
          });
          if (fast) results.freshness.fastPoll = fast;
        }
      }

      if (wants(1) && poolQuotes.length) {
        await settle();
        results.breakdown = await step("1b command breakdown (in process)", async () => {
          const r = await commandBreakdown({ db: db!, databaseUrl, quotes: poolQuotes, iterations: q ? 60 : 400, seconds: q ? 3 : 10 });
          for (const [name, s] of Object.entries(r.steps)) log(`  ${name}: p50 ${fmt(s.p50, 2)} ms, mean ${fmt(s.mean, 2)} ms`);
          log(`  whole bus p50 ${fmt(r.bus.p50, 2)} ms; raw pg p50 ${fmt(r.rawPg.p50, 2)} ms (read ${fmt(r.rawPgSteps.read.p50, 2)}, write ${fmt(r.rawPgSteps.write.p50, 2)})`);
          log(`  16 at once: bus ${fmt(r.concurrent.commandsPerSecond)} commands/s p99 ${fmt(r.concurrent.latency.p99)} ms; steps without the lock ${fmt(r.steps16.withoutLock.commandsPerSecond)}/s, with ${fmt(r.steps16.withLock.commandsPerSecond)}/s; raw pg with the lock ${fmt(r.rawPgLock.commandsPerSecond)}/s, lock wait p50 ${fmt(r.rawPgLock.lockWait.p50, 2)} ms, held p50 ${fmt(r.rawPgLock.lockHeld.p50, 2)} ms`);
          return r;
        });
      }
    }

    if (wants(6) && !results.pageWeight && results.build) {
      results.pageWeight = await step("6 page weight", async () => pageWeight(path.resolve(repoRoot, options.distDir)));
    }
    if (results.pageWeight) {
      for (const r of results.pageWeight.routes) log(`  ${r.route}: ${fmt(r.gzipBytes / 1024)} KB gzip (${r.files} files)`);
      log(`  baseline ${results.pageWeight.baseline.route}: ${fmt(results.pageWeight.baseline.gzipBytes / 1024)} KB gzip`);
    }
  } catch (error) {
    results.errors.push(String((error as Error).stack ?? error));
    log(`FAILED: ${(error as Error).stack ?? error}`);
  } finally {
    log("stopping everything this run started ...");
    await cleanUp();
  }

  results.finishedAt = new Date().toISOString();
  results.seconds = (Date.now() - started) / 1000;
  results.loadAverageAtEnd = machineInfo().loadAverage;
  const file = path.join(repoRoot, "bench", options.profile ? "profile.json" : q ? "results-quick.json" : "results.json");
  fs.writeFileSync(file, `${JSON.stringify(options.only && !options.profile ? mergedIntoSaved(file, results, options.only) : results, null, 2)}\n`);
  if (!options.only && !options.profile) writeReport(results, log);
  log(`finished in ${results.seconds.toFixed(0)} s; ${results.errors.length ? `${results.errors.length} step(s) FAILED` : "all steps ran"}; raw figures in ${path.relative(repoRoot, file)}`);
  return results.errors.length ? 1 : 0;
}

/** next start and the worker under --cpu-prof, 16 clients of PUT contact-details, then stopped (writing the profiles). */
async function profileRun(pool: pg.Pool, databaseUrl: string, kafka: ReturnType<typeof createKafka> & object, quick: boolean, own: (stack: RunningStack) => void) {
  const dir = path.join(repoRoot, ".data", "bench-profiles");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  await pool.query("TRUNCATE events, quote_access_tokens, scheduled_commands, idempotency_records");
  const admin = new Kafka({ clientId: "bench-setup", brokers: config().KAFKA_BROKERS!, logLevel: logLevel.WARN }).admin();
  await admin.connect();
  await admin.resetOffsets({ groupId: config().PROJECTION_GROUP, topic: quoteEventsTopic(), earliest: false });
  await admin.disconnect();
  const stack = await startStack({ kafka: true, production: true, quiet: true, env: { NODE_ENV: "production", NODE_OPTIONS: `--import ${path.join(repoRoot, "bench", "support", "cpu-profile-preload.mjs")}`, BENCH_CPU_PROF_DIR: dir, PROJECTION_GROUP: config().PROJECTION_GROUP } });
  own(stack);
  const db = createPrismaClient(databaseUrl);
  try {
    const quotes = await insertQuotePool(pool, 2_000);
    await waitFor("worker caught up", async () => {
      const s = await workerStatus(db, databaseUrl, kafka);
      return s.relayBacklog === 0 && s.projection.totalLag === 0;
    }, 120_000, 250);
    const seconds = quick ? 10 : 30;
    const figures = await load(stack.baseUrl, quotes, "command", 16, seconds);
    log(`  under profile: ${fmt(figures.rps)} req/s, p50 ${fmt(figures.p50)} ms, p99 ${fmt(figures.p99)} ms`);
    await stack.stop();
    const processes: Array<{ process: string } & ProfileSummary> = [];
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).map((f) => summarizeProfile(path.join(dir, f)));
    const pick = (name: string, test: (s: ProfileSummary) => boolean) => {
      const found = files.filter(test).sort((a, b) => b.totalMs - a.totalMs)[0];
      if (found) processes.push({ process: name, ...found });
    };
    pick("next-server (app)", (s) => s.byOrigin.some((o) => o.origin === "next (server)" && o.share > 0.02));
    pick("worker", (s) => s.byOrigin.some((o) => o.origin === "kafkajs") && !s.byOrigin.some((o) => o.origin === "next (server)" && o.share > 0.02));
    if (processes.length === 0) {
      const busiest = busiestProfile(dir);
      if (busiest) processes.push({ process: "busiest process", ...summarizeProfile(busiest) });
    }
    for (const p of processes) {
      log(`  ${p.process}: ${fmt(p.totalMs)} ms of CPU samples; ${p.byOrigin.slice(0, 8).map((o) => `${o.origin} ${Math.round(o.share * 100)}%`).join(", ")}`);
    }
    return { seconds, clients: 16, requests: figures.requests, processes };
  } finally {
    await db.$disconnect();
    await stack.stop();
  }
}

/** GETs a wizard page with the quote's access cookie and weighs (gzip) the JS files its HTML references. */
async function htmlScriptWeight(baseUrl: string, quote: PoolQuote, distDir: string) {
  const zlib = await import("node:zlib");
  const route = `/quote/${quote.quoteId}/contact`;
  const res = await fetch(`${baseUrl}${route}`, { headers: { cookie: `quote_access_${quote.quoteId}=${quote.token}` }, redirect: "manual" });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`GET ${route} answered ${res.status}`);
  // Polyfills are loaded only by browsers without ES modules (noModule): not part of a modern first load.
  const polyfills = new Set((JSON.parse(fs.readFileSync(path.resolve(repoRoot, distDir, "build-manifest.json"), "utf8")) as { polyfillFiles?: string[] }).polyfillFiles ?? []);
  const files = [...new Set([...html.matchAll(/\/_next\/(static\/chunks\/[^"'\s\\]+?\.js)/g)].map((m) => m[1]!))].filter((f) => !polyfills.has(f));
  let gzipBytes = 0;
  for (const file of files) gzipBytes += zlib.gzipSync(fs.readFileSync(path.resolve(repoRoot, distDir, file))).length;
  return { route: "/quote/[quoteId]/contact", scripts: files.length, gzipBytes };
}

export { sleep };
