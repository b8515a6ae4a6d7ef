/**
 * The environment every fault scenario runs in, with each part restartable on its own: a real PostgreSQL (stop and
 * start again on the same data), a real Kafka broker (SIGKILL and start again on the same data), the production
 * app (`next start` on a build of its own) with the application-number stand-in, and a worker run as a child
 * process whose pid is the worker itself (so SIGKILL really kills it), and the mail catcher (scripts/mail-catcher.ts)
 * the worker sends the customers' emails to. Ports and data are apart from every other
 * run (FAULTS_PORT_OFFSET); all traffic goes to 127.0.0.1.
 */
import fs from "node:fs";
import path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { config } from "../../lib/config";
import { createPrismaClient } from "../../lib/db/prisma";
import type { PrismaClient } from "../../lib/generated/prisma/client";
import { ensureTopics } from "../../lib/messaging/topics";
import { activeGeneration, disconnectReadModelClients } from "../../lib/projections/generations";
import { workerStatus, type WorkerStatus } from "../../lib/worker/worker-status";
import { ensureBuild, type BuildInfo } from "../../bench/support/build";
import { sleep } from "../../bench/support/stats";
import { startWorkerProcess, type WorkerProcess } from "../../bench/support/worker-process";
import { applyMigrations } from "../db/migrations";
import { startEmbeddedPostgres, type RunningPostgres } from "../db/embedded-postgres";
import { startKafkaBroker, type KafkaBroker } from "../kafka/broker";
import { startStack, type RunningStack } from "../lib/stack";
import { repoRoot } from "../lib/paths";

export interface FaultPorts {
  postgres: number;
  kafka: number;
  kafkaController: number;
  app: number;
  applicationNumberService: number;
  mailCatcherSmtp: number;
  mailCatcherHttp: number;
}

export const faultPorts = (offset: number): FaultPorts => ({ postgres: 54339 + offset, kafka: 19092 + offset, kafkaController: 19093 + offset, app: 3100 + offset, applicationNumberService: 4110 + offset, mailCatcherSmtp: 4115 + offset, mailCatcherHttp: 4116 + offset });

export interface FaultEnvironment {
  offset: number;
  dataDir: string;
  databaseUrl: string;
  brokers: string;
  baseUrl: string;
  applicationNumberUrl: string;
  /** The mail catcher's HTTP API (GET /messages), where every email the worker sends arrives. */
  mailCatcherUrl: string;
  build: BuildInfo;
  db: PrismaClient;
  pool: pg.Pool;
  kafka: Kafka;
  stack: RunningStack;
  worker(): WorkerProcess;
  /** Starts a new worker (the previous one must have exited). */
  startWorker(): Promise<WorkerProcess>;
  postgres: { stop(): Promise<void>; start(): Promise<void>; running(): boolean };
  broker: { kill(): Promise<void>; start(): Promise<void>; running(): boolean; pid(): number | null };
  status(): Promise<WorkerStatus>;
  /** Waits (bounded) until the outbox is empty, every partition projected and, unless told, every scheduled command done. */
  caughtUp(limitMs: number, options?: { scheduled?: boolean }): Promise<WorkerStatus>;
  liveSchema(): Promise<string>;
  /** Which app process, if any, has exited on its own. */
  deadProcesses(): string[];
  stop(): Promise<void>;
}

/**
 * The workers' claim lease in these scenarios: what a killed worker had claimed waits this long for another. Shorter
 * than the default minute so the scenarios end sooner, longer than any one claimed item takes (an application-number
 * request's retries against a slow service: about 15 s).
 */
export const FAULT_CLAIM_LEASE_SECONDS = 30;

export async function startFaultEnvironment(options: { offset: number; distDir: string; build: "auto" | "reuse" | "always" | "never"; log: (line: string) => void }): Promise<FaultEnvironment> {
  const { offset, log } = options;
  const ports = faultPorts(offset);
  const dataDir = path.join(repoRoot, ".data", `faults-${offset}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const env = config();
  const databaseUrl = env.DATABASE_URL;
  const brokers = `127.0.0.1:${ports.kafka}`;
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => log(`stop failed: ${error}`));
    stops.length = 0;
  };
  try {
    // PostgreSQL, restartable on the same data folder.
    let postgres: RunningPostgres | null = await startEmbeddedPostgres({ url: databaseUrl, directory: path.join(dataDir, "postgres") });
    log(`PostgreSQL pid ${postgres.pid} on 127.0.0.1:${ports.postgres}`);
    stops.push(async () => void (await postgres?.stop()));
    await applyMigrations(repoRoot, databaseUrl);

    // Kafka, killable and restartable on the same data folder.
    const brokerOptions = { dataDir: path.join(dataDir, "kafka"), port: ports.kafka, controllerPort: ports.kafkaController };
    let broker: KafkaBroker | null = await startKafkaBroker(brokerOptions);
    log(`Kafka broker pid ${broker.pid} on ${brokers}`);
    stops.push(async () => void (await broker?.stop()));
    const kafka = new Kafka({ clientId: "faults", brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin);
    await admin.disconnect();

    const build = await ensureBuild(options.distDir, options.build, log);
    const stack = await startStack({
      kafka: true,
      production: true,
      quiet: true,
      mailCatcher: true,
      env: { NODE_ENV: "production", APPLICATION_NUMBER_STORE: path.join(dataDir, "application-numbers.jsonl"), APPLICATION_NUMBER_LATENCY_MS: "0", PROJECTION_SESSION_TIMEOUT_MS: "6000", WORKER_CLAIM_LEASE_SECONDS: String(FAULT_CLAIM_LEASE_SECONDS) },
    });
    stops.push(() => stack.stop());
    log(`app on ${stack.baseUrl} (next start, ${options.distDir}); application-number stand-in on ${env.APPLICATION_NUMBER_SERVICE_URL}; mail catcher on ${stack.env.SMTP_URL}`);
    // Our own worker instead of the stack's, so that its pid is the worker's.
    await stack.processes.find((p) => p.name === "worker")?.stop();
    const workerEnv = { ...stack.env, PROJECTION_SESSION_TIMEOUT_MS: "6000" };
    let worker = await startWorkerProcess(workerEnv);
    stops.push(() => worker.stop());

    const db = createPrismaClient(databaseUrl);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    // Connections die with the server in the PostgreSQL scenario: an idle client's error must not end this process.
    pool.on("error", () => {});
    stops.push(async () => {
      await disconnectReadModelClients();
      await db.$disconnect();
      await pool.end();
    });

    const status = () => workerStatus(db, databaseUrl, kafka);
    const self: FaultEnvironment = {
      offset,
      dataDir,
      databaseUrl,
      brokers,
      baseUrl: stack.baseUrl,
      applicationNumberUrl: env.APPLICATION_NUMBER_SERVICE_URL,
      mailCatcherUrl: `http://127.0.0.1:${env.MAIL_CATCHER_HTTP_PORT}`,
      build,
      db,
      pool,
      kafka,
      stack,
      worker: () => worker,
      async startWorker() {
        worker = await startWorkerProcess(workerEnv);
        return worker;
      },
      postgres: {
        async stop() {
          await postgres?.stop();
          postgres = null;
        },
        async start() {
          postgres = await startEmbeddedPostgres({ url: databaseUrl, directory: path.join(dataDir, "postgres") });
        },
        running: () => postgres !== null,
      },
      broker: {
        async kill() {
          if (!broker) return;
          process.kill(broker.pid, "SIGKILL");
          await broker.exited;
          broker = null;
        },
        async start() {
          broker = await startKafkaBroker(brokerOptions);
        },
        running: () => broker !== null,
        pid: () => broker?.pid ?? null,
      },
      status,
      async caughtUp(limitMs, opts = {}) {
        const deadline = Date.now() + limitMs;
        let last: WorkerStatus | null = null;
        let lastError = "";
        for (;;) {
          try {
            last = await status();
            if (last.relayBacklog === 0 && last.projection.totalLag === 0 && (opts.scheduled === false || last.scheduledCommandsPending === 0)) return last;
          } catch (error) {
            lastError = (error as Error).message;
          }
          if (Date.now() > deadline) {
            throw new Error(`not caught up within ${limitMs} ms: ${last ? `relay backlog ${last.relayBacklog}, projection lag ${last.projection.totalLag}, scheduled pending ${last.scheduledCommandsPending}` : lastError}`);
          }
          await sleep(250);
        }
      },
      liveSchema: () => activeGeneration(db),
      deadProcesses: () => [...stack.processes.filter((p) => p.name !== "worker" && (p.child.exitCode !== null || p.child.signalCode !== null)), ...(worker.child.exitCode !== null || worker.child.signalCode !== null ? [{ name: `worker pid ${worker.pid}` }] : [])].map((p) => p.name),
      stop: stopAll,
    };
    return self;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The HTTP API, as a customer's browser calls it
// ---------------------------------------------------------------------------------------------------------------

export interface ApiAnswer {
  status: number;
  contentType: string;
  body: unknown;
  text: string;
  ms: number;
  /** No answer within the timeout (a hang), or the connection failed. */
  failure?: "timeout" | "connection";
}

export async function call(baseUrl: string, method: string, pathname: string, options: { body?: unknown; token?: string; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}${pathname}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, contentType: res.headers.get("content-type") ?? "", body, text, ms: performance.now() - started };
  } catch (error) {
    const timeout = (error as Error).name === "TimeoutError" || (error as Error).name === "AbortError";
    return { status: 0, contentType: "", body: null, text: String((error as Error).message), ms: performance.now() - started, failure: timeout ? "timeout" : "connection" };
  }
}

export const ok = (answer: ApiAnswer) => answer.status >= 200 && answer.status < 300;

export interface StartedQuote {
  quoteId: string;
  token: string;
}

export async function startQuote(baseUrl: string): Promise<StartedQuote & { answer: ApiAnswer }> {
  const answer = await call(baseUrl, "POST", "/api/quotes");
  if (answer.status !== 201) throw new Error(`POST /api/quotes answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  const body = answer.body as { quoteId: string; accessToken: string };
  return { quoteId: body.quoteId, token: body.accessToken, answer };
}

export const PAGES = {
  geographic: (i: number) => ({ country: "US", state: ["CA", "NY", "TX", "WA"][i % 4]!, city: `City ${i}`, zipCode: "94103" }),
  contact: (i: number) => ({ email: `fault-${i}@example.com`, phoneNumber: "+1 415 555 0100" }),
  family: (i: number) => ({ numberOfDependents: i % 6, childrenNames: [] as string[] }),
} as const;
export type Page = keyof typeof PAGES;
export const PAGE_EVENT: Record<Page, string> = { geographic: "GeographicDetailsCaptured", contact: "ContactDetailsCaptured", family: "FamilyDetailsCaptured" };

/** Runs `task` over `items`, `concurrency` at a time. */
export async function inParallel<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await task(items[index]!, index);
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// What reached the event store and the read models
// ---------------------------------------------------------------------------------------------------------------

/** Stored events per correlation id (every command the tests send carries its own x-correlation-id). */
export async function storedByCorrelation(pool: pg.Pool, correlationIds: string[]): Promise<Map<string, Array<{ quoteId: string; version: number; type: string }>>> {
  const { rows } = await pool.query<{ correlation_id: string; stream_id: string; version: number; type: string }>(
    "SELECT correlation_id, stream_id, version, type FROM events WHERE correlation_id = ANY($1::text[]) ORDER BY position",
    [correlationIds],
  );
  const map = new Map<string, Array<{ quoteId: string; version: number; type: string }>>();
  for (const row of rows) map.set(row.correlation_id, [...(map.get(row.correlation_id) ?? []), { quoteId: row.stream_id, version: row.version, type: row.type }]);
  return map;
}

/** The live read model's timeline rows of these quotes: quoteId → version → type (and duplicates of a version, if any). */
export async function liveTimeline(pool: pg.Pool, schema: string, quoteIds: string[]): Promise<{ byQuote: Map<string, Map<number, string>>; rows: number; duplicateVersions: number }> {
  const { rows } = await pool.query<{ quote_id: string; version: number; type: string }>(`SELECT quote_id, version, type FROM "${schema}".quote_timeline WHERE quote_id = ANY($1::uuid[])`, [quoteIds]);
  const byQuote = new Map<string, Map<number, string>>();
  let duplicateVersions = 0;
  for (const row of rows) {
    const versions = byQuote.get(row.quote_id) ?? new Map<number, string>();
    if (versions.has(row.version)) duplicateVersions++;
    versions.set(row.version, row.type);
    byQuote.set(row.quote_id, versions);
  }
  return { byQuote, rows: rows.length, duplicateVersions };
}

export interface Counts {
  sent: number;
  acknowledged: number;
  projected: number;
  lost: number;
  duplicated: number;
  [extra: string]: number | string;
}

/** A command a scenario sent, with its own correlation id, and what its answer said. */
export interface SentCommand {
  correlationId: string;
  quoteId: string;
  /** It was answered 2xx. */
  acked: boolean;
  /** The quote's version the answer gave; null when not acknowledged. */
  version: number | null;
  /** The event it records. */
  eventType: string;
}

/**
 * The standard accounting for commands the test sent, each with its own correlation id:
 * acknowledged = 2xx; projected = acknowledged commands whose event is in the live read model's timeline at the
 * version the response gave, with the right type; lost = acknowledged − projected; duplicated = extra stored events
 * for one command plus timeline rows repeating a version.
 */
export async function account(env: FaultEnvironment, commands: SentCommand[]): Promise<Counts> {
  const acked = commands.filter((c) => c.acked);
  const stored = await storedByCorrelation(env.pool, commands.map((c) => c.correlationId));
  const schema = await env.liveSchema();
  const timeline = await liveTimeline(env.pool, schema, [...new Set(commands.map((c) => c.quoteId))]);
  let projected = 0;
  for (const c of acked) if (c.version !== null && timeline.byQuote.get(c.quoteId)?.get(c.version) === c.eventType) projected++;
  let duplicated = timeline.duplicateVersions;
  for (const events of stored.values()) if (events.length > 1) duplicated += events.length - 1;
  const committedNotAcked = commands.filter((c) => !c.acked && stored.has(c.correlationId)).length;
  return { sent: commands.length, acknowledged: acked.length, projected, lost: acked.length - projected, duplicated, committedButNotAcknowledged: committedNotAcked };
}

export const describeCounts = (counts: Counts) =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
