/** bench/RESULTS.md and bench/command-latency.svg from a run's results. */
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../scripts/lib/paths";
import type { BenchResults } from "./main";
import { fmt } from "./support/stats";
import { cpuPerRequest, type LoadFigures } from "./command-path";
import { CPU_ROLES } from "./support/process-cpu";

const kb = (bytes: number) => `${fmt(bytes / 1024)} KB`;
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${fmt(a / b, 2)}×` : "n/a");
const ms = (v: number) => `${fmt(v)} ms`;
const yes = (ok: boolean) => (ok ? "yes" : "**no**");

/** The team's goals; each is judged on a ratio to a baseline measured in the same run (or a latency). */
export const GOALS = {
  /** Command path at this many clients: throughput against the bare route, and p99. */
  clients: 16,
  commandRpsRatio: 0.5,
  commandP99Ms: 25,
  /** Relay against Kafka's own ProducerPerformance (acks=all). */
  relayRatio: 0.5,
  /** Rebuild against batched INSERTs of the same rows. */
  rebuildRatio: 0.8,
  /** Freshness (ack → visible) at this rate, p99 below this. */
  freshnessRate: 100,
  freshnessP99Ms: 100,
  /** The heaviest wizard route's first-load JS against the framework baseline. */
  pageWeightRatio: 1.15,
} as const;

/** The previous design's figures (bench/baseline-before.json), for the chart's "before" series and the goals table. */
export interface BaselineBefore {
  about: string;
  finishedAt: string;
  command: string;
  commit: string;
  loadAverage?: number[];
  loadAverageAtEnd?: number[];
  secondsPerRun: number;
  commandPath: Array<{ connections: number; command: { rps: number; p50: number; p99: number }; bare: { rps: number; p50: number; p99: number } }>;
  goals: { commandRpsRatio16: number; commandP99Ms16: number; relayRatio: number; rebuildRatio: number; freshnessP99Ms100: number; heaviestWizardRoute: string; heaviestWizardRouteRatio: number };
}

export function readBaselineBefore(): BaselineBefore | null {
  const file = path.join(repoRoot, "bench", "baseline-before.json");
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as BaselineBefore) : null;
}

const isWizardRoute = (route: string) => route.startsWith("/quote/");

/** The wizard route with the most first-load JS, and its ratio to the framework baseline. */
function heaviestWizardRoute(r: BenchResults) {
  const pw = r.pageWeight;
  const wizard = pw?.routes.filter((x) => isWizardRoute(x.route)) ?? [];
  if (!pw || wizard.length === 0) return null;
  const heaviest = wizard.reduce((a, b) => (b.gzipBytes > a.gzipBytes ? b : a));
  return { route: heaviest, baseline: pw.baseline, ratio: heaviest.gzipBytes / pw.baseline.gzipBytes };
}

/** The figures the goals are stated in, from one run (null where the run did not measure it). */
function goalFigures(r: BenchResults) {
  const c16 = r.commandPath?.levels.find((l) => l.connections === GOALS.clients);
  const fresh = r.freshness?.runs.find((x) => x.rate === GOALS.freshnessRate);
  const heavy = heaviestWizardRoute(r);
  return {
    commandRpsRatio: c16 ? c16.command.rps / c16.bare.rps : null,
    commandP99Ms: c16 ? c16.command.p99 : null,
    relayRatio: r.relay ? r.relay.relay.eventsPerSecond / r.relay.producerPerformance.eventsPerSecond : null,
    rebuildRatio: r.rebuild ? r.rebuild.rebuild.eventsPerSecond / r.rebuild.baseline.eventsPerSecond : null,
    freshnessP99Ms: fresh ? fresh.freshness.p99 : null,
    pageWeightRatio: heavy ? heavy.ratio : null,
    heaviestRoute: heavy?.route.route ?? null,
  };
}

const met = {
  commandRpsRatio: (v: number) => v >= GOALS.commandRpsRatio,
  commandP99Ms: (v: number) => v <= GOALS.commandP99Ms,
  relayRatio: (v: number) => v >= GOALS.relayRatio,
  rebuildRatio: (v: number) => v >= GOALS.rebuildRatio,
  freshnessP99Ms: (v: number) => Number.isFinite(v) && v < GOALS.freshnessP99Ms,
  pageWeightRatio: (v: number) => v <= GOALS.pageWeightRatio,
};

/** The goals, each figure before (the previous design's full run) and now (this full run and this quick run). */
function goalsSection(full: BenchResults | null, quick: BenchResults | null): string[] {
  const baseline = readBaselineBefore();
  const before = baseline?.goals;
  // A saved full run that is the "before" run itself is not shown twice.
  const runs = [full, quick].filter((x): x is BenchResults => x !== null && x.finishedAt !== baseline?.finishedAt);
  const figures = runs.map(goalFigures);
  const times = (v: number) => `${fmt(v, 2)}×`;
  const cell = (v: number | null, show: (v: number) => string, ok: (v: number) => boolean) => (v === null ? "not measured" : `${show(v)}: ${ok(v) ? "met" : "**not met**"}`);
  const rows: Array<[string, string, string, (f: ReturnType<typeof goalFigures>) => string]> = [
    [`Command path, ${GOALS.clients} clients, req/s vs bare route (1.)`, before ? times(before.commandRpsRatio16) : "", `≥ ${GOALS.commandRpsRatio}×`, (f) => cell(f.commandRpsRatio, times, met.commandRpsRatio)],
    [`Command path, ${GOALS.clients} clients, p99 (1.)`, before ? ms(before.commandP99Ms16) : "", `≤ ${GOALS.commandP99Ms} ms`, (f) => cell(f.commandP99Ms, ms, met.commandP99Ms)],
    ["Relay vs ProducerPerformance, acks=all (2.)", before ? times(before.relayRatio) : "", `≥ ${GOALS.relayRatio}×`, (f) => cell(f.relayRatio, times, met.relayRatio)],
    ["Rebuild vs batched INSERTs of the same rows (3.)", before ? times(before.rebuildRatio) : "", `≥ ${GOALS.rebuildRatio}×`, (f) => cell(f.rebuildRatio, times, met.rebuildRatio)],
    [`Freshness at ${GOALS.freshnessRate} commands/s, ack → visible, p99 (4.)`, before ? ms(before.freshnessP99Ms100) : "", `< ${GOALS.freshnessP99Ms} ms`, (f) => cell(f.freshnessP99Ms, ms, met.freshnessP99Ms)],
    [
      "Heaviest wizard route's first-load JS vs framework baseline (6.)",
      before ? `${times(before.heaviestWizardRouteRatio)} (${before.heaviestWizardRoute})` : "",
      `≤ ${GOALS.pageWeightRatio}×`,
      (f) => (f.pageWeightRatio === null ? "not measured" : `${cell(f.pageWeightRatio, times, met.pageWeightRatio)} (${f.heaviestRoute})`),
    ],
  ];
  const when = (x: BenchResults) => `${x.quick ? "quick" : "full"} run ${x.finishedAt.slice(0, 16).replace("T", " ")}`;
  return [
    "## Goals",
    "",
    `Before: the full run of ${baseline ? `${baseline.finishedAt.slice(0, 16).replace("T", " ")} UTC` : "(bench/baseline-before.json missing)"}, with the global append lock and seven round trips per command (bench/baseline-before.json). Every figure is a ratio to a baseline measured in the same run, or a latency.`,
    "",
    `| ${["Figure", "Before", "Goal", ...runs.map((x) => `Now: ${when(x)} UTC`)].join(" | ")} |`,
    `|${["Figure", "Before", "Goal", ...runs].map(() => "---|").join("")}`,
    ...rows.map(([name, was, goal, now]) => `| ${[name, was, goal, ...figures.map(now)].join(" | ")} |`),
    "",
  ];
}

function table(r: BenchResults): string[] {
  const rows: string[][] = [];
  const add = (...cells: string[]) => rows.push(cells);
  const cp = r.commandPath;
  if (cp) {
    for (const level of cp.levels) {
      const { command: c, bare: b } = level;
      const aims = level.connections === GOALS.clients ? `≥ ${GOALS.commandRpsRatio}× bare rps: ${yes(met.commandRpsRatio(c.rps / b.rps))}; p99 ≤ ${GOALS.commandP99Ms} ms: ${yes(met.commandP99Ms(c.p99))}` : "";
      add(
        `1. Command path, ${level.connections} client${level.connections === 1 ? "" : "s"}`,
        `${fmt(c.rps)} req/s, p50 ${ms(c.p50)}, p99 ${ms(c.p99)}${c.non2xx ? ` (${c.non2xx} non-2xx)` : ""}`,
        `bare route: ${fmt(b.rps)} req/s, p50 ${ms(b.p50)}, p99 ${ms(b.p99)}`,
        `${ratio(c.rps, b.rps)} throughput`,
        aims,
      );
    }
  }
  const c16 = cp?.levels.find((l) => l.connections === GOALS.clients);
  if (c16?.command.cpuMs && c16.bare.cpuMs) {
    const total = (f: LoadFigures) => CPU_ROLES.reduce((sum, role) => sum + f.cpuMs![role], 0) / f.requests;
    add(`1d. CPU per request, ${GOALS.clients} clients, by process (the run of 1.)`, `${cpuPerRequest(c16.command)}`, `bare route: ${cpuPerRequest(c16.bare)}`, `${ratio(total(c16.command), total(c16.bare))} CPU per request`, "");
  }
  const so = r.scaleOut;
  if (so) {
    const find = (processes: number, lock: boolean) => so.runs.find((x) => x.processes === processes && x.globalLock === lock);
    for (const run of so.runs) {
      const { command: c, bare: b } = run;
      const notes: string[] = [];
      if (run.processes === 2) {
        const one = find(1, run.globalLock);
        if (one) notes.push(`${ratio(c.rps, one.command.rps)} 1 process`);
      }
      if (!run.globalLock) {
        const locked = find(run.processes, true);
        if (locked) notes.push(`${ratio(c.rps, locked.command.rps)} the same with the global lock`);
      }
      add(
        `1c. Scale-out, ${so.clients} clients, ${run.processes === 1 ? "1 process" : `${run.processes} processes (${c.perProcess.map((p) => p.connections).join(" + ")} clients)`}${run.globalLock ? ", EVENT_STORE_GLOBAL_LOCK=true" : ""}`,
        `${fmt(c.rps)} req/s, p50 ${ms(c.p50)}, p99 ${ms(c.p99)}${c.non2xx ? ` (${c.non2xx} non-2xx)` : ""}${notes.length ? `; ${notes.join(", ")}` : ""}`,
        `bare route, same process${run.processes === 1 ? "" : "es"}: ${fmt(b.rps)} req/s, p99 ${ms(b.p99)}`,
        `${ratio(c.rps, b.rps)} throughput`,
        "",
      );
    }
  }
  const tr = r.tracing;
  if (tr) {
    add(
      `7. Command path, ${tr.clients} clients, tracing exported over OTLP (${tr.rounds} alternating rounds of ${tr.secondsPerRound} s)`,
      `${fmt(tr.on.rps)} req/s, p50 ${ms(tr.on.p50)}, p99 ${ms(tr.on.p99)}${tr.on.non2xx ? ` (${tr.on.non2xx} non-2xx)` : ""}; ${fmt(tr.exported.spans)} spans exported`,
      `tracing off: ${fmt(tr.off.rps)} req/s, p50 ${ms(tr.off.p50)}, p99 ${ms(tr.off.p99)}`,
      `${ratio(tr.on.rps, tr.off.rps)} throughput`,
      `≥ 0.9× (at most 10% slower): ${yes(tr.rpsRatio >= 0.9)}`,
    );
  }
  const en = r.encryption;
  if (en) {
    const c = en.commandPath;
    add(
      `8. Command path with personal data encrypted, ${c.clients} clients (in process, ${c.rounds} alternating rounds of ${c.secondsPerRound} s)`,
      `${fmt(c.encrypted.rps)} saves/s, p50 ${ms(c.encrypted.p50)}, p99 ${ms(c.encrypted.p99)}`,
      `personal values in plain text: ${fmt(c.plain.rps)} saves/s, p50 ${ms(c.plain.p50)}, p99 ${ms(c.plain.p99)}`,
      `${ratio(c.encrypted.rps, c.plain.rps)} throughput`,
      "",
    );
    add(
      `8. Relay → Kafka with personal data encrypted (${fmt(en.relay.events)} events)`,
      `${fmt(en.relay.encrypted.eventsPerSecond)} events/s`,
      `personal values in plain text: ${fmt(en.relay.plain.eventsPerSecond)} events/s`,
      ratio(en.relay.encrypted.eventsPerSecond, en.relay.plain.eventsPerSecond),
      "",
    );
  }
  const rl = r.relay;
  if (rl) {
    add(
      "2. Relay → Kafka (acks=all)",
      `${fmt(rl.relay.eventsPerSecond)} events/s (${fmt(rl.events)} events, ${rl.recordBytes} B)`,
      `ProducerPerformance: ${fmt(rl.producerPerformance.eventsPerSecond)} rec/s`,
      ratio(rl.relay.eventsPerSecond, rl.producerPerformance.eventsPerSecond),
      `≥ ${GOALS.relayRatio}× ProducerPerformance: ${yes(met.relayRatio(rl.relay.eventsPerSecond / rl.producerPerformance.eventsPerSecond))}`,
    );
    add("2. Relay → Kafka (acks=all)", "(same)", `naive connect-send-disconnect: ${fmt(rl.naive.eventsPerSecond)} events/s`, ratio(rl.relay.eventsPerSecond, rl.naive.eventsPerSecond), "");
  }
  const rb = r.rebuild;
  if (rb) {
    add(
      `3. Projection rebuild from Kafka (${fmt(rb.events)} events)`,
      `${fmt(rb.rebuild.eventsPerSecond)} events/s (${fmt(rb.rebuild.seconds)} s to the last batch${rb.rebuild.startupSeconds ? `, ${fmt(rb.rebuild.startupSeconds)} s of it joining the group and the first fetch, ${fmt(rb.rebuild.steadyEventsPerSecond)} events/s after; ${fmt(rb.rebuild.secondsIncludingStop ?? rb.rebuild.seconds)} s with the consumer's disconnect` : ""})`,
      `batched pg INSERTs of the same rows: ${fmt(rb.baseline.eventsPerSecond)} events/s (${fmt(rb.baseline.seconds)} s)`,
      ratio(rb.rebuild.eventsPerSecond, rb.baseline.eventsPerSecond),
      `≥ ${GOALS.rebuildRatio}× baseline: ${yes(met.rebuildRatio(rb.rebuild.eventsPerSecond / rb.baseline.eventsPerSecond))}`,
    );
  }
  const fr = r.freshness;
  if (fr) {
    fr.runs.forEach((run, i) => {
      const base = fr.baseline[i];
      add(
        `4. Freshness at ${run.rate} commands/s`,
        `p50 ${ms(run.freshness.p50)}, p99 ${ms(run.freshness.p99)}, max ${ms(run.freshness.max)} (${run.seen}/${run.acknowledged} seen; ${fmt(run.achievedRate)}/s acknowledged${run.shed ? `, ${run.shed} arrivals shed: app saturated` : ""})`,
        base ? `Kafka produce→consume alone: p50 ${ms(base.p50)}, p99 ${ms(base.p99)}` : "n/a",
        base ? `${ratio(run.freshness.p99, base.p99)} p99` : "n/a",
        run.rate === GOALS.freshnessRate ? `p99 < ${GOALS.freshnessP99Ms} ms: ${yes(met.freshnessP99Ms(run.freshness.p99))}` : "",
      );
    });
  }
  const fp = r.freshnessPoison;
  if (fp) {
    const healthy = fr?.runs.find((x) => x.rate === fp.run.rate);
    add(
      `4c. Freshness at ${fp.run.rate} commands/s while a poison message is parked`,
      `healthy quotes: p50 ${ms(fp.run.freshness.p50)}, p99 ${ms(fp.run.freshness.p99)}, max ${ms(fp.run.freshness.max)} (${fp.run.seen}/${fp.run.acknowledged} seen; parked: “${fp.setup.reason.replace(/^Error: /, "").replace(`Quote ${fp.setup.quoteId}: `, "").replaceAll(fp.setup.quoteId, "the quote").replace(/\|/g, "/").slice(0, 90)}”${fp.setup.states.includes("held") ? ", one more held behind it" : ""})`,
      healthy ? `nothing parked (4., same run): p99 ${ms(healthy.freshness.p99)}, max ${ms(healthy.freshness.max)}` : "n/a",
      healthy ? `${ratio(fp.run.freshness.p99, healthy.freshness.p99)} p99, ${ratio(fp.run.freshness.max, healthy.freshness.max)} max` : "n/a",
      "",
    );
  }
  if (fr?.fastPoll) {
    const base = fr.baseline[0];
    add(
      `4b. Freshness at 100/s, worker poll ${fr.fastPoll.pollIntervalMs} ms (what-if)`,
      `p50 ${ms(fr.fastPoll.freshness.p50)}, p99 ${ms(fr.fastPoll.freshness.p99)}, max ${ms(fr.fastPoll.freshness.max)}`,
      base ? `Kafka produce→consume alone: p99 ${ms(base.p99)}` : "n/a",
      base ? `${ratio(fr.fastPoll.freshness.p99, base.p99)} p99` : "n/a",
      "",
    );
  }
  const cd = r.codec;
  if (cd) {
    add("5. Avro encode+decode", `${fmt(cd.avro.opsPerSecond)} ops/s`, `JSON: ${fmt(cd.json.opsPerSecond)} ops/s`, ratio(cd.avro.opsPerSecond, cd.json.opsPerSecond), "");
    add("5. Avro bytes per event", `${fmt(cd.avro.bytesPerEvent)} B`, `JSON: ${fmt(cd.json.bytesPerEvent)} B`, ratio(cd.avro.bytesPerEvent, cd.json.bytesPerEvent), "");
  }
  const pw = r.pageWeight;
  if (pw) {
    const heavy = heaviestWizardRoute(r);
    const base = `framework + root layout (/_not-found): ${kb(pw.baseline.gzipBytes)}`;
    if (heavy) {
      add(`6. First-load JS, heaviest wizard route (${heavy.route.route})`, `${kb(heavy.route.gzipBytes)} gzip`, base, ratio(heavy.route.gzipBytes, pw.baseline.gzipBytes), `≤ ${GOALS.pageWeightRatio}× baseline: ${yes(met.pageWeightRatio(heavy.ratio))}`);
    }
    for (const route of pw.routes) add(`6. First-load JS ${route.route}`, `${kb(route.gzipBytes)} gzip`, base, ratio(route.gzipBytes, pw.baseline.gzipBytes), "");
  }
  return [
    "| Benchmark | Figure | Baseline (same run) | Ratio | Aim met? |",
    "|---|---|---|---|---|",
    ...rows.map((cells) => `| ${cells.join(" | ")} |`),
  ];
}

function breakdownSection(r: BenchResults): string[] {
  const out: string[] = [];
  const b = r.breakdown;
  if (b && "steps16" in b) {
    const c1 = r.commandPath?.levels.find((l) => l.connections === 1);
    const { withoutLock, withLock } = b.steps16;
    const lock = b.rawPgLock;
    out.push(
      "### Command path (PUT contact-details): where one command's time goes",
      "",
      `Measured in process against the same PostgreSQL, one command at a time (${b.iterations} iterations), with the same calls the route makes (bench/breakdown.ts): one read statement and one write statement.`,
      "",
      "| Step | p50 | mean |",
      "|---|---|---|",
      ...Object.entries(b.steps).map(([name, x]) => `| ${name} | ${fmt(x.p50, 2)} ms | ${fmt(x.mean, 2)} ms |`),
      `| **whole commandBus.execute (in process)** | **${fmt(b.bus.p50, 2)} ms** | ${fmt(b.bus.mean, 2)} ms |`,
      `| same command over raw \`pg\` (same two statements) | ${fmt(b.rawPg.p50, 2)} ms | ${fmt(b.rawPg.mean, 2)} ms |`,
      `| raw \`pg\`: the read statement / the write statement | ${fmt(b.rawPgSteps.read.p50, 2)} / ${fmt(b.rawPgSteps.write.p50, 2)} ms | ${fmt(b.rawPgSteps.read.mean, 2)} / ${fmt(b.rawPgSteps.write.mean, 2)} ms |`,
      ...(c1 ? [`| HTTP through \`next start\`, 1 client (autocannon p50) | ${fmt(c1.command.p50, 2)} ms | bare route ${fmt(c1.bare.p50, 2)} ms |`] : []),
      "",
      `${b.concurrent.clients} commands at once, in process, each client on quotes of its own:`,
      "",
      "| Run | commands/s | latency p50 / p99 | write statement p50 / p99 |",
      "|---|---|---|---|",
      `| through the command bus (no global lock, the default) | ${fmt(b.concurrent.commandsPerSecond)} | ${ms(b.concurrent.latency.p50)} / ${ms(b.concurrent.latency.p99)} | |`,
      `| the route's steps, no global lock | ${fmt(withoutLock.commandsPerSecond)} | ${ms(withoutLock.latency.p50)} / ${ms(withoutLock.latency.p99)} | ${withoutLock.write ? `${ms(withoutLock.write.p50)} / ${ms(withoutLock.write.p99)}` : ""} |`,
      `| the same steps, global lock (EVENT_STORE_GLOBAL_LOCK's design) | ${fmt(withLock.commandsPerSecond)} (${ratio(withoutLock.commandsPerSecond, withLock.commandsPerSecond)} without it) | ${ms(withLock.latency.p50)} / ${ms(withLock.latency.p99)} | ${withLock.write ? `${ms(withLock.write.p50)} / ${ms(withLock.write.p99)}` : ""} |`,
      `| raw \`pg\`, global lock taken by hand | ${fmt(lock.commandsPerSecond)} | ${ms(lock.latency.p50)} / ${ms(lock.latency.p99)} | ${lock.write ? `${ms(lock.write.p50)} / ${ms(lock.write.p99)}` : ""} |`,
      "",
      `With the global lock, an append waits for it p50 ${ms(lock.lockWait.p50)} (p99 ${ms(lock.lockWait.p99)}) and holds it (lock → COMMIT: the write statement and COMMIT) p50 ${ms(lock.lockHeld.p50)}, ` +
        `which caps appends at about ${fmt(1000 / lock.lockHeld.mean)} per second whatever the number of processes or cores (1000 / mean hold ${fmt(lock.lockHeld.mean, 2)} ms, raw \`pg\`); without it, appends to different quotes do not wait for each other.`,
      "",
    );
  }
  const rb = r.relayBreakdown;
  if (rb) {
    out.push(
      "### Relay: where one batch's time goes",
      "",
      `publishBatch's four steps timed separately over ${fmt(rb.events)} events, batches of 500 (bench/relay.ts relayBreakdown):`,
      "",
      "| Step | per batch | share |",
      "|---|---|---|",
      ...Object.entries(rb.phases).map(([name, p]) => `| ${name} | ${fmt(p.perBatchMs)} ms | ${Math.round(p.share * 100)}% |`),
      "",
      `Same events through publishBatch(limit): ${rb.byBatchSize.map((x) => `limit ${x.batchSize} → ${fmt(x.eventsPerSecond)} events/s`).join("; ")}.`,
      "",
    );
  }
  const ab = r.applyBreakdown;
  if (ab) {
    const rows = (steps: Record<string, { perBatchMs: number; share: number }>) => Object.entries(steps).map(([name, p]) => `| ${name} | ${fmt(p.perBatchMs)} ms | ${Math.round(p.share * 100)}% |`);
    out.push(
      "### Projection (rebuild and live): where one batch's time goes",
      "",
      `applyBatch on ${fmt(ab.events)} events in batches of ${ab.batchSize} (100 quotes a batch), each way into a fresh generation (bench/apply-breakdown.ts):`,
      "",
      "| Step (applyBatch's own functions) | per batch | share |",
      "|---|---|---|",
      ...rows(ab.steps),
      "",
      `applyBatch itself: ${fmt(ab.applyBatch.eventsPerSecond)} events/s.`,
      "",
    );
  }
  const fr = r.freshness;
  if (fr?.runs.some((x) => x.split)) {
    out.push(
      "### Freshness: where the time goes",
      "",
      "Per acknowledged command, wall clock: acknowledgement → the relay sent the event to Kafka (its record's timestamp, set by the relay's producer), and published → the read model showed it (Kafka's ack, the projector's fetch and transaction).",
      "",
      "| Run | ack → published p50 / p99 | published → visible p50 / p99 |",
      "|---|---|---|",
      ...[...fr.runs.map((x) => ({ name: `${x.rate}/s`, x })), ...(fr.fastPoll ? [{ name: `100/s, poll ${fr.fastPoll.pollIntervalMs} ms`, x: fr.fastPoll }] : [])]
        .filter(({ x }) => x.split)
        .map(({ name, x }) => `| ${name} | ${ms(x.split.ackToPublished.p50)} / ${ms(x.split.ackToPublished.p99)} | ${ms(x.split.publishedToVisible.p50)} / ${ms(x.split.publishedToVisible.p99)} |`),
      "",
    );
  }
  const cd = r.codec;
  if (cd) {
    out.push("### Codec split (operations per second)", "", ...Object.entries(cd.parts).map(([name, v]) => `- ${name}: ${fmt(v)}/s`), "");
    out.push(`Bytes per event by type (Avro incl. 5-byte header / JSON): ${Object.entries(cd.bytesByType).map(([t, v]) => `${t} ${fmt(v.avro)} / ${fmt(v.json)}`).join("; ")}.`, "");
  }
  const pw = r.pageWeight;
  if (pw?.htmlCheck) {
    out.push(`### Page weight cross-check`, "", `The HTML of ${pw.htmlCheck.route} served by \`next start\` references ${pw.htmlCheck.scripts} script files, ${kb(pw.htmlCheck.gzipBytes)} gzip (the manifest figure above counts the same route's entry files).`, "");
  }
  return out;
}

/**
 * Command latency against concurrency, before (bench/baseline-before.json: the previous design's full run) and after
 * (this run), on a logarithmic latency axis (before and after differ by an order of magnitude); the bare route of this
 * run for scale.
 */
export function latencySvg(r: BenchResults, before: BaselineBefore | null = readBaselineBefore()): string | null {
  const cp = r.commandPath;
  if (!cp || cp.levels.length === 0) return null;
  const W = 700, H = 420, left = 64, right = 230, top = 44, bottom = 70;
  const xs = [...new Set([...(before?.commandPath ?? []).map((l) => l.connections), ...cp.levels.map((l) => l.connections)])].sort((a, b) => a - b);
  const at = <T extends { connections: number }>(levels: T[], value: (l: T) => number) => xs.map((x) => {
    const level = levels.find((l) => l.connections === x);
    return level ? value(level) : null;
  });
  const beforeDate = before ? before.finishedAt.slice(0, 10) : "";
  const afterDate = r.finishedAt.slice(0, 10);
  const series = [
    ...(before
      ? [
          { name: `before: command p99`, color: "#c0392b", dash: "7 5", width: 2, values: at(before.commandPath, (l) => l.command.p99) },
          { name: `before: command p50`, color: "#e67e22", dash: "7 5", width: 2, values: at(before.commandPath, (l) => l.command.p50) },
        ]
      : []),
    { name: `after: command p99`, color: "#c0392b", dash: "", width: 3, values: at(cp.levels, (l) => l.command.p99) },
    { name: `after: command p50`, color: "#e67e22", dash: "", width: 3, values: at(cp.levels, (l) => l.command.p50) },
    { name: `after: bare route p99`, color: "#7f8c8d", dash: "2 4", width: 2, values: at(cp.levels, (l) => l.bare.p99) },
  ];
  // Log axis from a power of ten below the smallest value (at least 0.5 ms) to one above the largest.
  const floor = 0.5;
  const all = series.flatMap((x) => x.values).filter((v): v is number => v !== null);
  const lo = Math.max(floor, Math.min(...all.map((v) => Math.max(v, floor))));
  const minY = 10 ** Math.floor(Math.log10(lo));
  const maxY = 10 ** Math.ceil(Math.log10(Math.max(minY * 10, ...all)));
  const px = (i: number) => left + (i * (W - left - right)) / Math.max(1, xs.length - 1);
  const py = (v: number) => top + (H - top - bottom) * (1 - (Math.log10(Math.max(v, floor)) - Math.log10(minY)) / (Math.log10(maxY) - Math.log10(minY)));
  const ticks: number[] = [];
  for (let decade = minY; decade <= maxY; decade *= 10) for (const m of [1, 2, 5]) if (decade * m <= maxY) ticks.push(decade * m);
  const grid = ticks
    .map((v) => `<line x1="${left}" y1="${py(v).toFixed(1)}" x2="${W - right}" y2="${py(v).toFixed(1)}" stroke="#e3e3e3"/><text x="${left - 8}" y="${(py(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`)
    .join("\n  ");
  const xLabels = xs.map((x, i) => `<text x="${px(i).toFixed(1)}" y="${H - bottom + 20}" text-anchor="middle">${x}</text>`).join("\n  ");
  const lines = series
    .map((x) => {
      const points = x.values.map((v, i) => (v === null ? null : `${px(i).toFixed(1)},${py(v).toFixed(1)}`)).filter((p) => p !== null).join(" ");
      const dots = x.values
        .map((v, i) => (v === null ? "" : `<circle cx="${px(i).toFixed(1)}" cy="${py(v).toFixed(1)}" r="3.5" fill="${x.dash ? "#fff" : x.color}" stroke="${x.color}" stroke-width="1.5"><title>${x.name} at ${xs[i]} clients: ${fmt(v)} ms</title></circle>`))
        .join("");
      return `<polyline fill="none" stroke="${x.color}" stroke-width="${x.width}" ${x.dash ? `stroke-dasharray="${x.dash}"` : ""} points="${points}"/>${dots}`;
    })
    .join("\n  ");
  const legend = series
    .map((x, i) => `<line x1="${W - right + 16}" y1="${top + 10 + i * 22}" x2="${W - right + 44}" y2="${top + 10 + i * 22}" stroke="${x.color}" stroke-width="${x.width}" ${x.dash ? `stroke-dasharray="${x.dash}"` : ""}/><text x="${W - right + 50}" y="${top + 14 + i * 22}">${x.name}</text>`)
    .join("\n  ");
  const load = (start?: number[], end?: number[]) => (start && end ? `load average ${fmt(start[0]!)} → ${fmt(end[0]!)}` : "load average n/a");
  const notes = [
    `before: ${beforeDate || "n/a"}, full run,`,
    `  ${load(before?.loadAverage, before?.loadAverageAtEnd)}`,
    `after: ${afterDate}, ${r.quick ? "quick" : "full"} run,`,
    `  ${load(r.machine.loadAverage, r.loadAverageAtEnd)}`,
    "(2 cores; compare with bare p99)",
  ];
  const legendNote = notes.map((line, i) => `<text x="${W - right + 16}" y="${top + 14 + series.length * 22 + 12 + i * 16}" font-size="11" fill="#555" xml:space="preserve">${line}</text>`).join("");
  const rps = (label: string, levels: Array<{ connections: number; command: { rps: number }; bare: { rps: number } }>) =>
    `${label}: ${levels.map((l) => `${l.connections}: ${fmt(l.command.rps)} (bare ${fmt(l.bare.rps)})`).join(", ")} req/s`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">
  <title>Command path latency against concurrency, before and after (PUT /api/quotes/{id}/contact-details)</title>
  <rect width="${W}" height="${H}" fill="#fff"/>
  <text x="${left}" y="24" font-size="14" font-weight="600">PUT contact-details: latency by concurrent clients, before and after</text>
  ${grid}
  ${xLabels}
  <line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="#333"/>
  <line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="#333"/>
  <text x="${(left + W - right) / 2}" y="${H - bottom + 38}" text-anchor="middle">concurrent clients (autocannon connections)</text>
  <text transform="translate(16 ${(top + H - bottom) / 2}) rotate(-90)" text-anchor="middle">latency (ms, log scale)</text>
  ${lines}
  ${legend}
  ${legendNote}
  <text x="${left}" y="${H - 16}" font-size="10" fill="#555">${before ? rps("before", before.commandPath) : ""}</text>
  <text x="${left}" y="${H - 4}" font-size="10" fill="#555">${rps("after", cp.levels)}</text>
</svg>
`;
}

function runSection(r: BenchResults, title: string): string[] {
  const m = r.machine;
  return [
    `## ${title}`,
    "",
    `**${r.finishedAt.slice(0, 16).replace("T", " ")} UTC**, \`${r.command}\` (${fmt(r.seconds)} s), commit ${m.commit}. ` +
      `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}; load average ${m.loadAverage.join(" / ")} at the start, ${r.loadAverageAtEnd.join(" / ")} at the end.`,
    ...(r.partialRuns ?? []).map((p) => `Rows ${p.benchmarks.join(", ")} measured later by \`${p.command}\` (${p.finishedAt.slice(0, 16).replace("T", " ")} UTC, load average ${p.loadAverageAtEnd.join(" / ")} at its end).`),
    r.build ? `Production build: ${r.build.distDir}, build ${r.build.buildId} of ${r.build.builtAt}${r.build.built ? " (built by this run)" : " (reused)"}${r.build.stale ? ", **sources changed since it was built**" : ""}.` : "",
    "",
    ...table(r),
    "",
    r.errors.length ? `**Steps that failed in this run:**\n\n${r.errors.map((e) => `- ${e.split("\n")[0]}`).join("\n")}\n` : "",
  ];
}

/** Whether a saved run has the breakdown of the two-statement command path (runs before it had another shape). */
const isCurrentShape = (x: BenchResults) => !x.breakdown || "steps16" in x.breakdown;

const readResults = (file: string): BenchResults | null => {
  const full = path.join(repoRoot, "bench", file);
  return fs.existsSync(full) ? (JSON.parse(fs.readFileSync(full, "utf8")) as BenchResults) : null;
};

/** Rewrites RESULTS.md and the chart from the saved results (npm run bench -- --report). */
export function rewriteReport(log: (line: string) => void): boolean {
  const latest = [readResults("results.json"), readResults("results-quick.json")].filter((x): x is BenchResults => x !== null).sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0];
  if (!latest) return false;
  writeReport(latest, log);
  return true;
}

export function writeReport(r: BenchResults, log: (line: string) => void) {
  const full = r.quick ? readResults("results.json") : r;
  const quick = r.quick ? r : readResults("results-quick.json");
  const profile = readResults("profile.json");
  // The breakdowns come from the full run (steadier) unless it predates the two-statement command path.
  const detail = full && isCurrentShape(full) ? full : r;
  const lines = [
    "# Benchmark results",
    "",
    "These machines are shared (other engineers' test suites run on them now and then), so every figure stands beside a baseline measured in the same run, on the same servers: read the ratios, not the absolute numbers. The load average is given for each run.",
    "",
    "Re-run: `npm run bench` (full: 200,000 events, 15 s per load level, rebuilds .next-bench when sources changed) or `npm run bench -- --quick` (the same rows, smaller: 50,000 events, 3 s per load level; reuses the build in .next-bench; about 3 minutes on a quiet machine; its relay and rebuild figures are less steady than the full run's). `npm run bench -- --profile --only=0` takes the CPU profile below. Raw figures: `bench/results.json`, `bench/results-quick.json`, `bench/profile.json`. Fault tests: [FAULTS.md](FAULTS.md) and [FAULTS-quick.md](FAULTS-quick.md).",
    "",
    ...goalsSection(full, quick),
    ...(full ? runSection(full, "Full run") : []),
    ...(quick ? runSection(quick, "Quick run") : []),
    "![Command latency against concurrency](command-latency.svg)",
    "",
    "## How each figure is measured",
    "",
    ...HOW,
    "",
    `## Where the time goes (from the ${detail.quick ? "quick" : "full"} run of ${detail.finishedAt.slice(0, 16).replace("T", " ")} UTC)`,
    "",
    ...breakdownSection(detail),
    ...(profile?.profile ? profileSection(profile) : []),
    ...NOTES,
  ];
  fs.writeFileSync(path.join(repoRoot, "bench", "RESULTS.md"), `${lines.filter((l, i, all) => !(l === "" && all[i - 1] === "")).join("\n")}\n`);
  // "After" is this run; a run without the command path (--report after --only) falls back to the full run.
  const svg = latencySvg(r.commandPath ? r : full?.commandPath ? full : r);
  if (svg) fs.writeFileSync(path.join(repoRoot, "bench", "command-latency.svg"), svg);
  log("wrote bench/RESULTS.md and bench/command-latency.svg");
}

function profileSection(p: BenchResults): string[] {
  const prof = p.profile!;
  return [
    `### CPU profile under the command load (${p.finishedAt.slice(0, 16).replace("T", " ")} UTC, \`npm run bench -- --profile --only=0\`)`,
    "",
    `${prof.clients} clients of PUT contact-details for ${prof.seconds} s (${prof.requests} requests), \`next start\` and the worker sampled by the inspector's profiler (bench/support/cpu-profile-preload.mjs) from start to exit; self time by origin:`,
    "",
    ...prof.processes.flatMap((proc) => [
      `**${proc.process}** (${fmt(proc.totalMs)} ms of samples): ${proc.byOrigin.slice(0, 10).map((o) => `${o.origin} ${Math.round(o.share * 100)}%`).join(", ")}.`,
      "",
      `Hottest functions: ${proc.topFunctions.slice(0, 8).map((f) => `${f.fn} (${f.origin}) ${Math.round(f.share * 100)}%`).join("; ")}.`,
      "",
    ]),
  ];
}

const HOW = [
    "1. **Command path**: autocannon, PUT /api/quotes/{id}/contact-details against `next start` (production build), every request on the next quote of a pool of started quotes (written straight to the event store before the run, so no two in-flight requests share a quote and streams stay a few events long), with the worker relaying and projecting meanwhile. Baseline: app/api/bench/bare/route.ts (answers only with BENCH_ROUTES=1), same body, headers and response JSON, no work.",
    "1c. **Scale-out**: the same PUTs from 16 clients on 1 and on 2 `next start` processes (scripts/next-server.ts on the same build, database, broker and worker; the second started by the bench on a port of its own), the 16 split 8 + 8 over two autocannon runs at once, requests per second summed and latency percentiles over every answer; then the same on two fresh processes with EVENT_STORE_GLOBAL_LOCK=true (every append behind one advisory lock, as the previous design did). Each lock setting gets a fresh pool of quotes. Baseline: the bare route on the same processes, split the same way, in the same run.",
    "1d. **CPU per request**: during the 16-client runs of 1., the CPU time (user + system, from /proc) that each process the bench started used, divided by the requests answered: next-server, the worker (relay and projector), PostgreSQL (every backend), the Kafka broker and the bench process (autocannon). Baseline: the same for the bare route's run. On two cores shared by all of them, the command's total bounds its throughput: 2,000 ms of CPU per second / total ms per request.",
    "2. **Relay**: createRelay().publishBatch() draining synthetic but valid events (decide/evolve of complete wizard runs) from the outbox; the first batch (producer connect) is not timed. Baselines: `java -cp '.data/kafka/libs/*' org.apache.kafka.tools.ProducerPerformance --record-size <mean Avro size> --throughput -1 --producer-props acks=all`, and a kafkajs producer per event (connect, send, disconnect).",
    "3. **Rebuild**: rebuildReadModels() from offset 0 of quote-events (the relay benchmark's events) into a new generation; baseline: the rows it produced, copied out, tables truncated, written back with 1,000-row INSERTs through `pg`.",
    "4. **Freshness**: open-loop PUTs at a fixed rate; time from the HTTP response to quote_details showing that version (LISTEN read_model_changed + 20 ms polling). Baseline: kafkajs producer (acks=all) → consumer on a topic of its own, same rate.",
    "4c. **Freshness while a poison message is parked**: before the run, one quote's events are written straight into the events table — QuoteStarted (version 1), then ContactDetailsCaptured at version 3 (a gap: the projector refuses it and parks it) and version 4 (held behind it) — and the bench waits until projection_dead_letters holds them and GET /api/worker lists the parked one; then the 100/s run of 4. on the pool's (healthy) quotes. Figure: their p99 and worst (max) freshness; baseline: the 100/s run of 4. in the same run, nothing parked.",
    "5. **Codec**: encodeEvent+decodeEvent against JSON.stringify→Buffer→JSON.parse on the same 1,000 events (five types).",
    "8. **Encryption cost**: (a) CaptureContactDetails through the real command bus in the bench process (middleware, the one read with the quote's wrapped data key, decide, the one append statement), 16 concurrent loops each on quotes of its own, against the event store as the app runs it (AES-256-GCM per personal value) and against one writing personal values in plain text (`plainPersonalData`), alternating rounds; no HTTP, so the store's difference is not hidden by Next's share. (b) the relay draining the same number of synthetic events sealed as the store writes them (Avro `bytes`) and in plain text (the older schemas' strings).",
    "6. **Page weight**: rootMainFiles + the route's entry JS files (client reference manifest) of the production build, each gzipped; baseline: what /_not-found loads (framework + root layout).",
];

/** Written by hand from the breakdowns above; kept here so a re-run does not lose it. */
const NOTES: string[] = fs.existsSync(path.join(repoRoot, "bench", "NOTES.md")) ? ["", ...fs.readFileSync(path.join(repoRoot, "bench", "NOTES.md"), "utf8").trimEnd().split("\n")] : [];
