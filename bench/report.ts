/** bench/RESULTS.md and bench/command-latency.svg from a run's results. */
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../scripts/lib/paths";
import type { BenchResults } from "./main";
import { fmt } from "./support/stats";

const kb = (bytes: number) => `${fmt(bytes / 1024)} KB`;
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${fmt(a / b, 2)}×` : "n/a");
const ms = (v: number) => `${fmt(v)} ms`;
const yes = (ok: boolean) => (ok ? "yes" : "**no**");

function table(r: BenchResults): string[] {
  const rows: string[][] = [];
  const add = (...cells: string[]) => rows.push(cells);
  const cp = r.commandPath;
  if (cp) {
    for (const level of cp.levels) {
      const { command: c, bare: b } = level;
      const aims: string[] = [`≥ 0.6× bare rps: ${yes(c.rps / b.rps >= 0.6)}`];
      if (level.connections === 16) aims.push(`p99 < 20 ms: ${yes(c.p99 < 20)}`);
      add(
        `1. Command path, ${level.connections} client${level.connections === 1 ? "" : "s"}`,
        `${fmt(c.rps)} req/s, p50 ${ms(c.p50)}, p99 ${ms(c.p99)}${c.non2xx ? ` (${c.non2xx} non-2xx)` : ""}`,
        `bare route: ${fmt(b.rps)} req/s, p50 ${ms(b.p50)}, p99 ${ms(b.p99)}`,
        `${ratio(c.rps, b.rps)} throughput`,
        aims.join("; "),
      );
    }
  }
  const rl = r.relay;
  if (rl) {
    add(
      "2. Relay → Kafka (acks=all)",
      `${fmt(rl.relay.eventsPerSecond)} events/s (${fmt(rl.events)} events, ${rl.recordBytes} B)`,
      `ProducerPerformance: ${fmt(rl.producerPerformance.eventsPerSecond)} rec/s`,
      ratio(rl.relay.eventsPerSecond, rl.producerPerformance.eventsPerSecond),
      `≥ 0.5× Kafka's own: ${yes(rl.relay.eventsPerSecond / rl.producerPerformance.eventsPerSecond >= 0.5)}`,
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
      `≥ 10,000/s: ${yes(rb.rebuild.eventsPerSecond >= 10_000)}; ≥ 0.5× baseline: ${yes(rb.rebuild.eventsPerSecond / rb.baseline.eventsPerSecond >= 0.5)}`,
    );
  }
  const fr = r.freshness;
  if (fr) {
    fr.runs.forEach((run, i) => {
      const base = fr.baseline[i];
      add(
        `4. Freshness at ${run.rate} commands/s`,
        `p50 ${ms(run.freshness.p50)}, p99 ${ms(run.freshness.p99)} (${run.seen}/${run.acknowledged} seen; ${fmt(run.achievedRate)}/s acknowledged${run.shed ? `, ${run.shed} arrivals shed: app saturated` : ""})`,
        base ? `Kafka produce→consume alone: p50 ${ms(base.p50)}, p99 ${ms(base.p99)}` : "n/a",
        base ? `${ratio(run.freshness.p99, base.p99)} p99` : "n/a",
        run.rate === 100 ? `p99 < 100 ms: ${yes(run.freshness.p99 < 100)}` : "",
      );
    });
    if (fr.fastPoll) {
      const base = fr.baseline[0];
      add(
        "4. Freshness at 100/s, worker poll 20 ms (what-if)",
        `p50 ${ms(fr.fastPoll.freshness.p50)}, p99 ${ms(fr.fastPoll.freshness.p99)}`,
        base ? `Kafka produce→consume alone: p99 ${ms(base.p99)}` : "n/a",
        base ? `${ratio(fr.fastPoll.freshness.p99, base.p99)} p99` : "n/a",
        `p99 < 100 ms: ${yes(fr.fastPoll.freshness.p99 < 100)}`,
      );
    }
  }
  const cd = r.codec;
  if (cd) {
    add("5. Avro encode+decode", `${fmt(cd.avro.opsPerSecond)} ops/s`, `JSON: ${fmt(cd.json.opsPerSecond)} ops/s`, ratio(cd.avro.opsPerSecond, cd.json.opsPerSecond), "");
    add("5. Avro bytes per event", `${fmt(cd.avro.bytesPerEvent)} B`, `JSON: ${fmt(cd.json.bytesPerEvent)} B`, ratio(cd.avro.bytesPerEvent, cd.json.bytesPerEvent), "");
  }
  const pw = r.pageWeight;
  if (pw) {
    for (const route of pw.routes) {
      add(`6. First-load JS ${route.route}`, `${kb(route.gzipBytes)} gzip`, `framework + root layout (/_not-found): ${kb(pw.baseline.gzipBytes)}`, ratio(route.gzipBytes, pw.baseline.gzipBytes), `< 150 KB: ${yes(route.gzipBytes < 150 * 1024)}`);
    }
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
  if (b) {
    out.push(
      "### Command path (PUT contact-details): where one command's time goes",
      "",
      `Measured in process against the same PostgreSQL, one command at a time (${b.iterations} iterations), with the same calls the route makes (bench/breakdown.ts):`,
      "",
      "| Step | p50 | mean |",
      "|---|---|---|",
      ...Object.entries(b.steps).map(([name, s]) => `| ${name} | ${fmt(s.p50, 2)} ms | ${fmt(s.mean, 2)} ms |`),
      `| **whole commandBus.execute (in process)** | **${fmt(b.bus.p50, 2)} ms** | ${fmt(b.bus.mean, 2)} ms |`,
      `| same command over raw \`pg\` (same statements, same lock) | ${fmt(b.rawPg.p50, 2)} ms | ${fmt(b.rawPg.mean, 2)} ms |`,
    );
    const c1 = r.commandPath?.levels.find((l) => l.connections === 1);
    if (c1) out.push(`| HTTP through \`next start\`, 1 client (autocannon p50) | ${fmt(c1.command.p50, 2)} ms | bare route ${fmt(c1.bare.p50, 2)} ms |`);
    out.push(
      "",
      `16 commands at once, in process: ${fmt(b.concurrent.commandsPerSecond)} commands/s, latency p50 ${ms(b.concurrent.latency.p50)} p99 ${ms(b.concurrent.latency.p99)}; ` +
        `waiting for the global append lock p50 ${ms(b.concurrent.lockWait.p50)} p99 ${ms(b.concurrent.lockWait.p99)}; the lock is held (lock → COMMIT) p50 ${ms(b.concurrent.lockHeld.p50)}, ` +
        `which caps appends at about ${fmt(1000 / b.concurrent.lockHeld.mean)} per second whatever the number of cores (1000 / mean hold ${fmt(b.concurrent.lockHeld.mean, 2)} ms).`,
      "",
      `What-if, same 16 clients, the append's statements without the global lock: ${fmt(b.withoutLock.commandsPerSecond)} commands/s (${ratio(b.withoutLock.commandsPerSecond, b.concurrent.commandsPerSecond)}), latency p50 ${ms(b.withoutLock.latency.p50)} p99 ${ms(b.withoutLock.latency.p99)}.`,
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
      "Per acknowledged command, wall clock: acknowledgement → the relay marked the event published (`published_at`, written after Kafka's ack), and published → the read model showed it.",
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

export function latencySvg(r: BenchResults): string | null {
  const cp = r.commandPath;
  if (!cp || cp.levels.length === 0) return null;
  const W = 640, H = 400, left = 64, right = 170, top = 40, bottom = 56;
  const xs = cp.levels.map((l) => l.connections);
  const series = [
    { name: "command p99", color: "#c0392b", dash: "", values: cp.levels.map((l) => l.command.p99) },
    { name: "command p50", color: "#e67e22", dash: "", values: cp.levels.map((l) => l.command.p50) },
    { name: "bare route p99", color: "#2c3e50", dash: "6 4", values: cp.levels.map((l) => l.bare.p99) },
    { name: "bare route p50", color: "#7f8c8d", dash: "6 4", values: cp.levels.map((l) => l.bare.p50) },
  ];
  const maxY = Math.max(1, ...series.flatMap((s) => s.values)) * 1.1;
  const px = (i: number) => left + (i * (W - left - right)) / Math.max(1, xs.length - 1);
  const py = (v: number) => top + (H - top - bottom) * (1 - v / maxY);
  const ticks = 5;
  const grid = Array.from({ length: ticks + 1 }, (_, i) => {
    const v = (maxY * i) / ticks;
    return `<line x1="${left}" y1="${py(v).toFixed(1)}" x2="${W - right}" y2="${py(v).toFixed(1)}" stroke="#ddd"/><text x="${left - 8}" y="${(py(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`;
  }).join("\n  ");
  const xLabels = xs.map((x, i) => `<text x="${px(i).toFixed(1)}" y="${H - bottom + 20}" text-anchor="middle">${x}</text>`).join("\n  ");
  const lines = series
    .map((s) => {
      const points = s.values.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(" ");
      const dots = s.values.map((v, i) => `<circle cx="${px(i).toFixed(1)}" cy="${py(v).toFixed(1)}" r="3.5" fill="${s.color}"><title>${s.name} at ${xs[i]} clients: ${fmt(v)} ms</title></circle>`).join("");
      return `<polyline fill="none" stroke="${s.color}" stroke-width="2.5" ${s.dash ? `stroke-dasharray="${s.dash}"` : ""} points="${points}"/>${dots}`;
    })
    .join("\n  ");
  const legend = series
    .map((s, i) => `<line x1="${W - right + 16}" y1="${top + 10 + i * 22}" x2="${W - right + 40}" y2="${top + 10 + i * 22}" stroke="${s.color}" stroke-width="2.5" ${s.dash ? `stroke-dasharray="${s.dash}"` : ""}/><text x="${W - right + 46}" y="${top + 14 + i * 22}">${s.name}</text>`)
    .join("\n  ");
  const rps = cp.levels.map((l) => `${l.connections}: ${fmt(l.command.rps)} vs ${fmt(l.bare.rps)} req/s`).join(" · ");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">
  <title>Command path latency against concurrency (PUT /api/quotes/{id}/contact-details vs the bare route)</title>
  <rect width="${W}" height="${H}" fill="#fff"/>
  <text x="${left}" y="22" font-size="14" font-weight="600">PUT contact-details vs bare route: latency by concurrent clients</text>
  ${grid}
  ${xLabels}
  <line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="#333"/>
  <line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="#333"/>
  <text x="${(left + W - right) / 2}" y="${H - 16}" text-anchor="middle">concurrent clients (autocannon connections)</text>
  <text transform="translate(16 ${(top + H - bottom) / 2}) rotate(-90)" text-anchor="middle">latency (ms)</text>
  ${lines}
  ${legend}
  <text x="${left}" y="${H - 2}" font-size="10" fill="#555">${r.quick ? "quick run" : "full run"} ${r.finishedAt.slice(0, 10)} · throughput ${rps}</text>
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
    r.build ? `Production build: ${r.build.distDir}, build ${r.build.buildId} of ${r.build.builtAt}${r.build.built ? " (built by this run)" : " (reused)"}${r.build.stale ? ", **sources changed since it was built**" : ""}.` : "",
    "",
    ...table(r),
    "",
    r.errors.length ? `**Steps that failed in this run:**\n\n${r.errors.map((e) => `- ${e.split("\n")[0]}`).join("\n")}\n` : "",
  ];
}

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
  const lines = [
    "# Benchmark results",
    "",
    "These machines are shared (other engineers' test suites run on them now and then), so every figure stands beside a baseline measured in the same run, on the same servers: read the ratios, not the absolute numbers. The load average is given for each run.",
    "",
    "Re-run: `npm run bench` (full: 200,000 events, 15 s per load level, rebuilds .next-bench when sources changed) or `npm run bench -- --quick` (50,000 events, 3 s per level; reuses the build in .next-bench; under 3 minutes; its relay and rebuild figures are less steady than the full run's). `npm run bench -- --profile --only=0` takes the CPU profile below. Raw figures: `bench/results.json`, `bench/results-quick.json`, `bench/profile.json`. Fault tests: [FAULTS.md](FAULTS.md) and [FAULTS-quick.md](FAULTS-quick.md).",
    "",
    ...(full ? runSection(full, "Full run") : []),
    ...(quick ? runSection(quick, "Quick run") : []),
    "![Command latency against concurrency](command-latency.svg)",
    "",
    "## How each figure is measured",
    "",
    ...HOW,
    "",
    `## Where the time goes (from the ${(full ?? r).quick ? "quick" : "full"} run of ${(full ?? r).finishedAt.slice(0, 16).replace("T", " ")} UTC)`,
    "",
    ...breakdownSection(full ?? r),
    ...(profile?.profile ? profileSection(profile) : []),
    ...NOTES,
  ];
  fs.writeFileSync(path.join(repoRoot, "bench", "RESULTS.md"), `${lines.filter((l, i, all) => !(l === "" && all[i - 1] === "")).join("\n")}\n`);
  const svg = latencySvg(full?.commandPath ? full : r);
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
    "2. **Relay**: createRelay().publishBatch() draining synthetic but valid events (decide/evolve of complete wizard runs) from the outbox; the first batch (producer connect) is not timed. Baselines: `java -cp '.data/kafka/libs/*' org.apache.kafka.tools.ProducerPerformance --record-size <mean Avro size> --throughput -1 --producer-props acks=all`, and a kafkajs producer per event (connect, send, disconnect).",
    "3. **Rebuild**: rebuildReadModels() from offset 0 of quote-events (the relay benchmark's events) into a new generation; baseline: the rows it produced, copied out, tables truncated, written back with 1,000-row INSERTs through `pg`.",
    "4. **Freshness**: open-loop PUTs at a fixed rate; time from the HTTP response to quote_details showing that version (LISTEN read_model_changed + 20 ms polling). Baseline: kafkajs producer (acks=all) → consumer on a topic of its own, same rate.",
    "5. **Codec**: encodeEvent+decodeEvent against JSON.stringify→Buffer→JSON.parse on the same 1,000 events (five types).",
    "6. **Page weight**: rootMainFiles + the route's entry JS files (client reference manifest) of the production build, each gzipped; baseline: what /_not-found loads (framework + root layout).",
];

/** Written by hand from the breakdowns above; kept here so a re-run does not lose it. */
const NOTES: string[] = fs.existsSync(path.join(repoRoot, "bench", "NOTES.md")) ? ["", ...fs.readFileSync(path.join(repoRoot, "bench", "NOTES.md"), "utf8").trimEnd().split("\n")] : [];
