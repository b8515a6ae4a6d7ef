/**
 * Benchmark 1 — the command path over HTTP against `next start`: PUT /api/quotes/{id}/contact-details at 1, 16 and
 * 64 concurrent clients (autocannon), against the bare route (/api/bench/bare: same JSON, no work) in the same run.
 * Each request goes to the next quote of a pool, so no two in-flight requests share a quote (no version conflicts)
 * and streams stay short (a few events each, as in the wizard).
 */
import { randomUUID } from "node:crypto";
import autocannon, { type Result } from "autocannon";
import type pg from "pg";
import { hashAccessToken, newAccessToken } from "../lib/access/quote-access";
import type { RecordedEvent } from "../lib/domain/quote";
import { resolveKeyEncryptionKeys } from "../lib/privacy/configured-keyring";
import { newDataKey } from "../lib/privacy/field-cipher";
import { insertEvents } from "./support/events-table";
import { fmt, summarize } from "./support/stats";
import { CPU_ROLES, cpuBetween, cpuSnapshot, type CpuRole } from "./support/process-cpu";

export interface PoolQuote {
  quoteId: string;
  token: string;
}

export interface LoadFigures {
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** CPU milliseconds each process used during the run (bench/support/process-cpu.ts); null off Linux. */
  cpuMs?: Record<CpuRole, number> | null;
}

export interface CommandPathResult {
  levels: Array<{ connections: number; command: LoadFigures; bare: LoadFigures }>;
  poolSize: number;
  secondsPerRun: number;
  meanEventsPerQuoteAfter: number;
}

const CONTACT = JSON.stringify({ email: "ada@example.com", phoneNumber: "+1 415 555 0100" });

/**
 * Started quotes written straight into the event store (QuoteStarted, unpublished, the access token's hash and the data key), as
 * StartQuote would leave them minus the application-number request: quick, and no worker activity on them later.
 * The worker relays and projects them like any other events.
 */
export async function insertQuotePool(pool: pg.Pool, count: number): Promise<PoolQuote[]> {
  const quotes = Array.from({ length: count }, () => ({ quoteId: randomUUID(), token: newAccessToken() }));
  const occurredAt = new Date().toISOString();
  const events = quotes.map(
    (q) =>
      ({ type: "QuoteStarted", data: { quoteId: q.quoteId }, eventId: randomUUID(), quoteId: q.quoteId, version: 1, occurredAt, correlationId: randomUUID(), causationId: null, actor: { kind: "customer" } }) as RecordedEvent,
  );
  await pool.query("INSERT INTO quote_access_tokens (quote_id, token_hash, kind) SELECT q, t, 'device' FROM unnest($1::uuid[], $2::text[]) AS u(q, t)", [quotes.map((q) => q.quoteId), quotes.map((q) => hashAccessToken(q.token))]);
  // Each quote's data key, wrapped by the key-encryption key the app resolves too (as StartQuote writes it).
  const kek = resolveKeyEncryptionKeys().current;
  const wrapped = await Promise.all(quotes.map((q) => kek.wrap(newDataKey(), q.quoteId)));
  await pool.query("INSERT INTO quote_data_keys (quote_id, wrapped_key, kek_id) SELECT q, k, $3 FROM unnest($1::uuid[], $2::bytea[]) AS u(q, k)", [quotes.map((q) => q.quoteId), wrapped, kek.id]);
  await insertEvents(pool, events, { published: false });
  return quotes;
}

/** Starts `count` quotes over HTTP (POST /api/quotes), `concurrency` at a time. */
export async function startQuotes(baseUrl: string, count: number, concurrency = 16): Promise<PoolQuote[]> {
  const quotes: PoolQuote[] = [];
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < count) {
      next++;
      const res = await fetch(`${baseUrl}/api/quotes`, { method: "POST" });
      if (res.status !== 201) throw new Error(`POST /api/quotes answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { quoteId: string; accessToken: string };
      quotes.push({ quoteId: body.quoteId, token: body.accessToken });
    }
  });
  await Promise.all(workers);
  return quotes;
}

function figures(connections: number, result: Result): LoadFigures {
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, Number(count)]));
  return {
    connections,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
  };
}

/** A load run with the CPU each process used meanwhile. */
async function withCpu(run: () => Promise<LoadFigures>): Promise<LoadFigures> {
  const before = cpuSnapshot();
  const figures = await run();
  return { ...figures, cpuMs: cpuBetween(before, cpuSnapshot()) };
}

/** "next-server 4.1 ms, worker 3.1 ms, …, total 12.3 ms" per answered request. */
export function cpuPerRequest(figures: LoadFigures): string {
  if (!figures.cpuMs || !figures.requests) return "not measured";
  const per = (ms: number) => fmt(ms / figures.requests, 2);
  const total = CPU_ROLES.reduce((sum, role) => sum + figures.cpuMs![role], 0);
  return `${CPU_ROLES.map((role) => `${role} ${per(figures.cpuMs![role])}`).join(", ")}; total ${per(total)} ms`;
}

/** One autocannon run: the command route, or the bare route with the same body and headers. */
function run(baseUrl: string, pool: PoolQuote[], target: "command" | "bare", connections: number, seconds: number, onResponse?: (ms: number) => void): Promise<Result> {
  let next = Math.floor(Math.random() * pool.length);
  const instance = autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: "PUT",
        body: CONTACT,
        setupRequest: (request) => {
          const quote = pool[next++ % pool.length]!;
          const path = target === "command" ? `/api/quotes/${quote.quoteId}/contact-details` : `/api/bench/bare?quoteId=${quote.quoteId}`;
          return { ...request, path, headers: { "content-type": "application/json", authorization: `Bearer ${quote.token}` } };
        },
      },
    ],
  });
  if (onResponse) instance.on("response", (_client, _status, _bytes, ms) => onResponse(ms));
  return Promise.resolve(instance);
}

export async function load(baseUrl: string, pool: PoolQuote[], target: "command" | "bare", connections: number, seconds: number): Promise<LoadFigures> {
  return figures(connections, await run(baseUrl, pool, target, connections, seconds));
}

/**
 * `clients` connections split evenly over `targets` (each process with quotes of its own, so no two requests in
 * flight share a quote), all running at once for the same `seconds`: requests per second summed, latency percentiles
 * over every answer of every run together.
 */
export async function loadSplit(targets: Array<{ baseUrl: string; pool: PoolQuote[] }>, target: "command" | "bare", clients: number, seconds: number): Promise<LoadFigures & { perProcess: LoadFigures[] }> {
  const latencies: number[] = [];
  const share = (i: number) => Math.floor(clients / targets.length) + (i < clients % targets.length ? 1 : 0);
  const results = await Promise.all(targets.map((t, i) => run(t.baseUrl, t.pool, target, share(i), seconds, (ms) => latencies.push(ms))));
  const perProcess = results.map((r, i) => figures(share(i), r));
  const merged = summarize(latencies);
  const statusCodes: Record<string, number> = {};
  for (const p of perProcess) for (const [code, count] of Object.entries(p.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  return {
    connections: clients,
    rps: perProcess.reduce((sum, p) => sum + p.rps, 0),
    p50: merged.p50,
    p99: merged.p99,
    requests: perProcess.reduce((sum, p) => sum + p.requests, 0),
    non2xx: perProcess.reduce((sum, p) => sum + p.non2xx, 0),
    errors: perProcess.reduce((sum, p) => sum + p.errors, 0),
    statusCodes,
    perProcess,
  };
}

export async function benchCommandPath(options: { baseUrl: string; pool: PoolQuote[]; seconds: number; levels: number[]; log: (line: string) => void }): Promise<CommandPathResult> {
  const { baseUrl, pool, seconds, log } = options;
  // Warm both routes (JIT, Prisma's pool, Next's route cache) before measuring.
  await load(baseUrl, pool, "bare", 8, 2);
  await load(baseUrl, pool, "command", 8, 2);
  const levels: CommandPathResult["levels"] = [];
  for (const connections of options.levels) {
    const bare = await withCpu(() => load(baseUrl, pool, "bare", connections, seconds));
    const command = await withCpu(() => load(baseUrl, pool, "command", connections, seconds));
    log(
      `  c=${connections}: command ${fmt(command.rps)} rps p50 ${fmt(command.p50)} ms p99 ${fmt(command.p99)} ms (non-2xx ${command.non2xx}, errors ${command.errors}) | ` +
        `bare ${fmt(bare.rps)} rps p50 ${fmt(bare.p50)} ms p99 ${fmt(bare.p99)} ms | throughput ratio ${fmt(command.rps / bare.rps, 2)}`,
    );
    if (command.cpuMs && bare.cpuMs) log(`    CPU per request: command ${cpuPerRequest(command)} | bare ${cpuPerRequest(bare)}`);
    levels.push({ connections, command, bare });
  }
  const commandRequests = levels.reduce((sum, l) => sum + l.command.requests, 0) + 0;
  return { levels, poolSize: pool.length, secondsPerRun: seconds, meanEventsPerQuoteAfter: 2 + commandRequests / pool.length };
}

export interface ScaleOutRun {
  processes: number;
  /** EVENT_STORE_GLOBAL_LOCK of the app processes of this run. */
  globalLock: boolean;
  pids: number[];
  command: LoadFigures & { perProcess: LoadFigures[] };
  bare: LoadFigures & { perProcess: LoadFigures[] };
}

export interface ScaleOutResult {
  clients: number;
  secondsPerRun: number;
  poolSize: number;
  runs: ScaleOutRun[];
}

/** The app processes of one configuration of the scale-out benchmark, each with a pool of quotes of its own. */
export interface ScaleOutTarget {
  pid: number;
  baseUrl: string;
}

/**
 * Benchmark 1c — scale-out: `clients` clients of PUT contact-details on 1 and on 2 app processes (same database,
 * same broker, same worker), split evenly over the processes, beside the bare route on the same processes. `setups`
 * gives, per lock setting, the processes to use (started by the caller, stopped by the caller); each setting gets a
 * fresh pool of quotes, so every configuration starts from streams of the same length.
 */
export async function benchScaleOut(options: {
  setups: Array<{ globalLock: boolean; processes: () => Promise<ScaleOutTarget[]>; release: () => Promise<void> }>;
  pools: PoolQuote[][];
  clients: number;
  seconds: number;
  warmSeconds: number;
  log: (line: string) => void;
}): Promise<ScaleOutResult> {
  const { clients, seconds, log } = options;
  const runs: ScaleOutRun[] = [];
  for (const [i, setup] of options.setups.entries()) {
    const pool = options.pools[i]!;
    const apps = await setup.processes();
    try {
      const halves = [pool.slice(0, Math.floor(pool.length / 2)), pool.slice(Math.floor(pool.length / 2))];
      // Warm every process (JIT, Prisma's pool, Next's route cache) on both routes before measuring.
      await Promise.all(apps.map((app, k) => load(app.baseUrl, halves[k % 2]!, "bare", 4, options.warmSeconds)));
      await Promise.all(apps.map((app, k) => load(app.baseUrl, halves[k % 2]!, "command", 4, options.warmSeconds)));
      for (const count of [1, 2]) {
        const used = apps.slice(0, count);
        const targets = used.map((app, k) => ({ baseUrl: app.baseUrl, pool: count === 1 ? pool : halves[k]! }));
        const bare = await loadSplit(targets, "bare", clients, seconds);
        const command = await loadSplit(targets, "command", clients, seconds);
        log(
          `  ${count} process${count === 1 ? "" : "es"}, global lock ${setup.globalLock ? "on" : "off"}: command ${fmt(command.rps)} rps p50 ${fmt(command.p50)} ms p99 ${fmt(command.p99)} ms (non-2xx ${command.non2xx}, errors ${command.errors}) | ` +
            `bare ${fmt(bare.rps)} rps p99 ${fmt(bare.p99)} ms | ratio ${fmt(command.rps / bare.rps, 2)}`,
        );
        runs.push({ processes: count, globalLock: setup.globalLock, pids: used.map((app) => app.pid), command, bare });
      }
    } finally {
      await setup.release();
    }
  }
  return { clients, secondsPerRun: seconds, poolSize: options.pools[0]?.length ?? 0, runs };
}
