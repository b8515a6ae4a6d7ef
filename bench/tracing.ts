/**
 * Benchmark 7 — what tracing costs the command path: PUT /api/quotes/{id}/contact-details at `clients` concurrent
 * clients against two `next start` processes on the same build, one with tracing off (no OTEL_* setting: no SDK)
 * and one exporting every span over OTLP/HTTP to a receiver on this machine. They are loaded one at a time, in
 * alternating rounds (off, on, off, on, ...), so that drift of the machine falls on both; each has a quote pool of
 * its own. The figure: traced throughput as a ratio to untraced (goal ≥ 0.9×, at most 10% slower).
 *
 * The receiver is scripts/otlp/otlp-receiver.ts in this process (a real collector could not be built here: see
 * docs/OPERATIONS.md): it parses each export far enough to count the spans, roughly the work a collector's receiver
 * does before it queues them. Its counts show that the traced app really exported (Next's spans and the app's).
 */
import type { AppProcess } from "./support/app-process";
import { startAppProcess } from "./support/app-process";
import { load, type LoadFigures, type PoolQuote } from "./command-path";
import { startOtlpReceiver } from "../scripts/otlp/otlp-receiver";
import { fmt, sleep } from "./support/stats";

export interface TracingResult {
  clients: number;
  secondsPerRound: number;
  rounds: number;
  off: LoadFigures;
  on: LoadFigures;
  /** on.rps / off.rps over all rounds. */
  rpsRatio: number;
  exported: { requests: number; spans: number; traces: number; bytes: number; byName: Record<string, number> };
}

/** Sums the rounds' requests over their time; latency percentiles as the mean of the rounds' (autocannon gives no raw samples). */
function combine(rounds: LoadFigures[]): LoadFigures {
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
  const statusCodes: Record<string, number> = {};
  for (const r of rounds) for (const [code, count] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  return {
    connections: rounds[0]!.connections,
    rps: rounds.reduce((sum, r) => sum + r.rps, 0) / rounds.length,
    p50: rounds.reduce((sum, r) => sum + r.p50, 0) / rounds.length,
    p99: rounds.reduce((sum, r) => sum + r.p99, 0) / rounds.length,
    requests,
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    statusCodes,
  };
}

export async function benchTracing(options: {
  /** The environment the stack's app runs with (database, Kafka, build folder). */
  env: NodeJS.ProcessEnv;
  /** Two free ports: the untraced app's and the traced app's; the receiver takes the next one. */
  ports: [number, number];
  pools: [PoolQuote[], PoolQuote[]];
  clients: number;
  seconds: number;
  rounds: number;
  log: (line: string) => void;
  /** next-server processes started here, so the caller can stop them if this is interrupted. */
  track: Set<AppProcess>;
}): Promise<TracingResult> {
  const { log } = options;
  const receiver = await startOtlpReceiver(options.ports[1] + 1);
  const apps: AppProcess[] = [];
  try {
    const start = async (port: number, traced: boolean) => {
      const app = await startAppProcess({ ...options.env, OTEL_EXPORTER_OTLP_ENDPOINT: traced ? receiver.url : "", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "", OTEL_SERVICE_NAME: traced ? "bench-traced" : "" }, port);
      options.track.add(app);
      apps.push(app);
      log(`  started next-server pid ${app.pid} on ${app.baseUrl} (tracing ${traced ? `on → ${receiver.url}` : "off"})`);
      return app;
    };
    const off = await start(options.ports[0], false);
    const on = await start(options.ports[1], true);
    // Warm both (JIT, Prisma's pool, Next's route cache) before measuring.
    await load(off.baseUrl, options.pools[0], "command", 8, 2);
    await load(on.baseUrl, options.pools[1], "command", 8, 2);
    await sleep(1_500);
    const offRounds: LoadFigures[] = [];
    const onRounds: LoadFigures[] = [];
    for (let round = 0; round < options.rounds; round++) {
      // Alternate which goes first, so neither always follows the other's load.
      const order: Array<"off" | "on"> = round % 2 === 0 ? ["off", "on"] : ["on", "off"];
      for (const which of order) {
        const figures = which === "off" ? await load(off.baseUrl, options.pools[0], "command", options.clients, options.seconds) : await load(on.baseUrl, options.pools[1], "command", options.clients, options.seconds);
        (which === "off" ? offRounds : onRounds).push(figures);
        log(`  round ${round + 1} tracing ${which}: ${fmt(figures.rps)} req/s, p50 ${fmt(figures.p50)} ms, p99 ${fmt(figures.p99)} ms${figures.non2xx ? ` (${figures.non2xx} non-2xx)` : ""}`);
      }
    }
    // The batch span processor exports at most a second later.
    await sleep(2_000);
    const offFigures = combine(offRounds);
    const onFigures = combine(onRounds);
    const stats = receiver.stats();
    const exported = { requests: stats.requests, spans: stats.spans, traces: stats.traces.size, bytes: stats.bytes, byName: stats.byName };
    log(`  tracing off ${fmt(offFigures.rps)} req/s p99 ${fmt(offFigures.p99)} ms | on ${fmt(onFigures.rps)} req/s p99 ${fmt(onFigures.p99)} ms: ${fmt(onFigures.rps / offFigures.rps, 2)}× (goal ≥ 0.9×)`);
    log(`  the receiver took ${fmt(stats.spans)} spans of ${fmt(stats.traces.size)} traces in ${stats.requests} exports; by name: ${Object.entries(stats.byName).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, n]) => `${name} ${n}`).join(", ")}`);
    return { clients: options.clients, secondsPerRound: options.seconds, rounds: options.rounds, off: offFigures, on: onFigures, rpsRatio: onFigures.rps / offFigures.rps, exported };
  } finally {
    for (const app of apps) {
      await app.stop();
      options.track.delete(app);
      log(`  stopped next-server pid ${app.pid}`);
    }
    await receiver.close();
  }
}
