import path from "node:path";
import pg from "pg";
import { config } from "../../lib/config";
import { createKafka } from "../../lib/messaging/kafka-client";
import { ensureTopics } from "../../lib/messaging/topics";
import { applyMigrations } from "../db/migrations";
import { resolveDatabase } from "../db/with-database";
import { ensureDemoAgent } from "../agents/ensure-demo-agent";
import { startKafkaBroker } from "../kafka/broker";
import { dataDir, repoRoot } from "./paths";
import { prefixer, startProcess, waitForHttp, type ManagedProcess } from "./processes";
import { serverNodeArgs } from "./server-node";

export const LOCAL_KAFKA_BROKERS = "127.0.0.1:9092";
const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);

export interface StackOptions {
  /** Start the local broker and run in Kafka mode (unless KAFKA_BROKERS already points at one). */
  kafka: boolean;
  /** The production build instead of the development server (both behind scripts/next-server.ts). */
  production: boolean;
  /** Extra environment for the app processes (e.g. the stand-in's knobs in tests). */
  env?: Record<string, string | undefined>;
  quiet?: boolean;
  /** Where web servers listen, one Next.js behind scripts/next-server.ts each (production only when several). Default: APP_PORT alone. */
  webPorts?: number[];
  /** How many workers. Default 1. */
  workers?: number;
  /**
   * Start the local mail catcher (scripts/mail-catcher.ts) and send the customers' emails there. Default: in
   * development when SMTP_URL is not set. The test stacks ask for it with SMTP_URL pointing at its port.
   */
  mailCatcher?: boolean;
  /** Web servers beside those, each with settings of its own (a spec that needs what the others must not see); production only. */
  webServersWithSettings?: Array<{ port: number; env: Record<string, string> }>;
}

export interface RunningStack {
  env: NodeJS.ProcessEnv;
  baseUrl: string;
  /** Every web server's, the first being baseUrl. */
  baseUrls: string[];
  processes: ManagedProcess[];
  /** The demo agent's sign-in (development only). */
  demoAgent: { email: string; password: string } | null;
  /** Resolves with the first app process that exits on its own. */
  firstExit: Promise<ManagedProcess>;
  stop(): Promise<void>;
}

/**
 * Everything the app needs, in order: Postgres (embedded unless DATABASE_URL), migrations, the Kafka broker
 * (with --kafka), the application-number stand-in, the mail catcher (development without SMTP_URL), the worker and Next.js behind the app's own HTTP server
 * (scripts/next-server.ts, which decides each request's client address). Each process logs with its name.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const env = config();
  const say = (name: string) => {
    const prefix = prefixer(name);
    return (line: string) => options.quiet || process.stdout.write(`${prefix}${line}\n`);
  };
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => console.error(error));
    stops.length = 0;
  };

  if (!options.production && (options.webPorts?.length ?? 1) > 1) {
    throw new Error("Several development servers would share one build folder, which Next.js locks: several web servers need the production build");
  }
  try {
    const database = await resolveDatabase(say("postgres"));
    if (database.embedded) stops.push(() => database.embedded!.stop());
    const applied = await applyMigrations(repoRoot, database.url);
    say("migrate")(applied.length ? `applied ${applied.join(", ")}` : "database is up to date");
    // Development gets a demo agent with a fresh password; production creates none.
    const demoAgent = options.production ? null : await ensureDemoAgent(database.url);

    let kafkaBrokers = process.env.KAFKA_BROKERS;
    if (options.kafka && !kafkaBrokers) {
      const broker = await startKafkaBroker({ dataDir: dataDir("kafka"), log: options.quiet ? undefined : say("kafka") });
      stops.push(() => broker.stop());
      kafkaBrokers = broker.brokers;
    }
    if (kafkaBrokers) {
      const admin = createKafka("stack", { ...env, KAFKA_BROKERS: kafkaBrokers.split(",") })!.admin();
      await admin.connect();
      await ensureTopics(admin);
      await admin.disconnect();
    }

    const mailCatcher = options.mailCatcher ?? (!options.production && !process.env.SMTP_URL);
    const childEnv: NodeJS.ProcessEnv = {
      ...(mailCatcher && !process.env.SMTP_URL ? { SMTP_URL: `smtp://127.0.0.1:${env.MAIL_CATCHER_SMTP_PORT}` } : {}),
      ...options.env,
      DATABASE_URL: database.url,
      KAFKA_BROKERS: kafkaBrokers ?? "",
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: options.production ? "production" : "development",
    };
    const processes: ManagedProcess[] = [];
    const launch = (name: string, command: string, args: string[], extraEnv: Record<string, string> = {}) => {
      const managed = startProcess(name, command, args, { env: { ...childEnv, ...extraEnv }, cwd: repoRoot, quiet: options.quiet, readable: !options.production });
      processes.push(managed);
      stops.push(() => managed.stop());
      return managed;
    };

    launch("app-number", process.execPath, serverNodeArgs("scripts/application-number-service.ts"));
    await waitForHttp(`${env.APPLICATION_NUMBER_SERVICE_URL}/health`, 15_000);
    if (mailCatcher) {
      launch("mail-catcher", process.execPath, serverNodeArgs("scripts/mail-catcher.ts"));
      await waitForHttp(`http://127.0.0.1:${env.MAIL_CATCHER_HTTP_PORT}/health`, 15_000);
    }
    const workerLaunchedAt = new Date();
    const workers = options.workers ?? 1;
    for (let n = 1; n <= workers; n++) launch(workers === 1 ? "worker" : `worker-${n}`, process.execPath, serverNodeArgs("scripts/worker.ts"));
    const host = env.APP_HOST;
    const ports = options.webPorts ?? [env.APP_PORT];
    for (const port of ports) launch(ports.length === 1 ? "next" : `next-${port}`, bin("tsx"), ["scripts/next-server.ts"], { APP_HOST: host, APP_PORT: String(port) });
    const baseUrls = ports.map((port) => `http://${host}:${port}`);
    const baseUrl = baseUrls[0]!;
    const others = options.production ? (options.webServersWithSettings ?? []) : [];
    for (const { port, env: settings } of others) launch(`next-${port}`, bin("tsx"), ["scripts/next-server.ts"], { ...settings, APP_HOST: host, APP_PORT: String(port) });
    // The dev server compiles a route on its first request, so allow it time.
    await Promise.all([...baseUrls, ...others.map(({ port }) => `http://${host}:${port}`)].map((url) => waitForHttp(`${url}/api/ready`, options.production ? 60_000 : 180_000)));
    // Readiness is the web tier's alone: the worker is up once it has beaten.
    await waitForWorkerHeartbeat(database.url, workerLaunchedAt, 60_000);

    const firstExit = Promise.race(processes.map((p) => p.exited.then(() => p)));
    return { env: childEnv, baseUrl, baseUrls, processes, demoAgent, firstExit, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function waitForWorkerHeartbeat(databaseUrl: string, since: Date, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while ((await client.query("SELECT 1 FROM worker_heartbeats WHERE started_at >= $1", [since])).rowCount === 0) {
      if (Date.now() > deadline) throw new Error(`the worker did not start within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}
