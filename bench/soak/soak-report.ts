/** The soak test's verdict and its report: bench/SOAK.md with a table of every sample, and bench/soak.svg. */
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../../scripts/lib/paths";
import type { MachineInfo } from "../support/machine";
import type { LoadCounts } from "./steady-load";

export interface SoakSample {
  minute: number;
  /** Memory (PSS) by process role. */
  memoryMiB: Record<string, number>;
  relayBacklog: number | null;
  projectionLagEvents: number | null;
  /** A save on one web server until the other serves it (null: not within 60 s). */
  freshnessMs: number | null;
  acknowledged: number;
  failed: number;
}

export interface SoakVerdict {
  passed: boolean;
  reasons: string[];
  /** Per role: mean MiB in the second quarter of the run (after warming up) and in the last quarter. */
  memoryGrowth: Array<{ role: string; earlyMiB: number; lateMiB: number; flat: boolean }>;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Memory may grow by this much from the second quarter to the last (heaps settle, caches fill) and still be flat. */
const FLAT_TOLERANCE = { ratio: 0.15, mib: 32 };

/**
 * Flat memory: each process's mean over the last quarter of the samples is within 15% (or 32 MiB) of its mean over
 * the second quarter (the first quarter is warm-up). Bounded lag: the relay backlog and the projection lag in the last
 * third never exceed twice their peak in the first two thirds plus one second of load, and every freshness probe
 * was answered. And no command failed.
 */
export function judgeSoak(samples: SoakSample[]): SoakVerdict {
  const reasons: string[] = [];
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const early = samples.slice(quarter, 2 * quarter);
  const late = samples.slice(samples.length - quarter);
  const roles = [...new Set(samples.flatMap((s) => Object.keys(s.memoryMiB)))].sort();
  const memoryGrowth = roles.map((role) => {
    const earlyMiB = mean(early.map((s) => s.memoryMiB[role] ?? 0));
    const lateMiB = mean(late.map((s) => s.memoryMiB[role] ?? 0));
    return { role, earlyMiB, lateMiB, flat: lateMiB - earlyMiB <= Math.max(FLAT_TOLERANCE.ratio * earlyMiB, FLAT_TOLERANCE.mib) };
  });
  const grown = memoryGrowth.filter((m) => !m.flat);
  reasons.push(grown.length ? `memory grew: ${grown.map((m) => `${m.role} ${fmt(m.earlyMiB)} → ${fmt(m.lateMiB)} MiB`).join(", ")}` : "memory flat in every process");

  const third = Math.max(1, Math.floor(samples.length / 3));
  const before = samples.slice(0, samples.length - third);
  const after = samples.slice(samples.length - third);
  const perSecond = samples.length > 1 ? (samples.at(-1)!.acknowledged - samples[0]!.acknowledged) / Math.max(1, (samples.at(-1)!.minute - samples[0]!.minute) * 60) : 0;
  let bounded = true;
  for (const [name, value] of [["relay backlog", (s: SoakSample) => s.relayBacklog], ["projection lag", (s: SoakSample) => s.projectionLagEvents]] as const) {
    const peakBefore = Math.max(0, ...before.map((s) => value(s) ?? 0));
    const peakAfter = Math.max(0, ...after.map((s) => value(s) ?? 0));
    if (peakAfter > 2 * peakBefore + perSecond) {
      bounded = false;
      reasons.push(`${name} grew: peak ${fmt(peakBefore)} events in the first two thirds, ${fmt(peakAfter)} in the last`);
    }
  }
  const unanswered = samples.filter((s) => s.freshnessMs === null).length;
  if (unanswered) {
    bounded = false;
    reasons.push(`${unanswered} freshness probe(s) not visible within 60 s`);
  }
  if (bounded) reasons.push(`lag bounded (worst freshness ${fmt(Math.max(...samples.map((s) => s.freshnessMs ?? 0)))} ms)`);
  const failed = samples.at(-1)?.failed ?? 0;
  reasons.push(failed ? `${failed} command(s) failed` : "no command failed");
  return { passed: grown.length === 0 && bounded && failed === 0, reasons, memoryGrowth };
}

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/** One panel of line series against minutes, linear axes from 0. */
function panel(title: string, unit: string, series: Array<{ name: string; points: Array<[number, number]> }>, top: number, width: number, height: number): string {
  const left = 64, right = 190, bottom = 36;
  const maxX = Math.max(1, ...series.flatMap((s) => s.points.map(([x]) => x)));
  const maxY = Math.max(1, ...series.flatMap((s) => s.points.map(([, y]) => y))) * 1.1;
  const px = (x: number) => left + (x / maxX) * (width - left - right);
  const py = (y: number) => top + 24 + (1 - y / maxY) * (height - 24 - bottom);
  const ticks = Array.from({ length: 5 }, (_, i) => (maxY * i) / 4);
  const grid = ticks.map((v) => `<line x1="${left}" y1="${py(v).toFixed(1)}" x2="${width - right}" y2="${py(v).toFixed(1)}" stroke="#e3e3e3"/><text x="${left - 6}" y="${(py(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`).join("");
  const xTicks = Array.from({ length: 7 }, (_, i) => (maxX * i) / 6).map((x) => `<text x="${px(x).toFixed(1)}" y="${top + height - bottom + 16}" text-anchor="middle">${fmt(x, maxX < 6 ? 1 : 0)}</text>`).join("");
  const lines = series
    .map((s, i) => `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2" points="${s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ")}"><title>${s.name}</title></polyline>`)
    .join("");
  const legend = series.map((s, i) => `<line x1="${width - right + 12}" y1="${top + 30 + i * 18}" x2="${width - right + 36}" y2="${top + 30 + i * 18}" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/><text x="${width - right + 42}" y="${top + 34 + i * 18}">${s.name}</text>`).join("");
  return `<text x="${left}" y="${top + 14}" font-size="13" font-weight="600">${title}</text>
  ${grid}${xTicks}
  <line x1="${left}" y1="${py(0).toFixed(1)}" x2="${width - right}" y2="${py(0).toFixed(1)}" stroke="#333"/>
  <text transform="translate(16 ${(top + height / 2).toFixed(0)}) rotate(-90)" text-anchor="middle">${unit}</text>
  <text x="${(left + width - right) / 2}" y="${top + height - 4}" text-anchor="middle">minutes of load</text>
  ${lines}${legend}`;
}

export function soakSvg(samples: SoakSample[]): string {
  const width = 760, height = 300;
  const roles = [...new Set(samples.flatMap((s) => Object.keys(s.memoryMiB)))].sort();
  const memory = roles.map((role) => ({ name: role, points: samples.map((s): [number, number] => [s.minute, s.memoryMiB[role] ?? 0]) }));
  const lag = [
    { name: "relay backlog (events)", points: samples.map((s): [number, number] => [s.minute, s.relayBacklog ?? 0]) },
    { name: "projection lag (events)", points: samples.map((s): [number, number] => [s.minute, s.projectionLagEvents ?? 0]) },
  ];
  const freshness = [{ name: "save → visible (ms)", points: samples.map((s): [number, number] => [s.minute, s.freshnessMs ?? 0]) }];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height * 3}" viewBox="0 0 ${width} ${height * 3}" font-family="system-ui, sans-serif" font-size="11">
  <title>Soak test: memory per process, relay backlog and projection lag, freshness</title>
  <rect width="${width}" height="${height * 3}" fill="#fff"/>
  ${panel("Memory per process (proportional set size)", "MiB", memory, 0, width, height)}
  ${panel("Relay backlog and projection lag", "events", lag, height, width, height)}
  ${panel("Freshness: a save on one web server until the other serves it", "ms", freshness, 2 * height, width, height)}
</svg>
`;
}

export function writeSoakReport(run: { samples: SoakSample[]; minutes: number; rate: number; sampleSeconds: number; counts: LoadCounts; verdict: SoakVerdict; machineAtStart: MachineInfo; machineAtEnd: MachineInfo }) {
  const { samples, verdict, counts } = run;
  const roles = [...new Set(samples.flatMap((s) => Object.keys(s.memoryMiB)))].sort();
  const failures = [...counts.failed].map(([reason, n]) => `${reason}: ${n}`).join(", ") || "none";
  const lines = [
    "# Soak test",
    "",
    `\`npm run test:soak -- --minutes ${run.minutes}${run.rate !== 5 ? ` --rate ${run.rate}` : ""}\` on \`npm run dev:cluster\` (three Kafka nodes with topics at three replicas, two web servers, two workers, the application-number stand-in, embedded PostgreSQL), all on one machine: ${run.machineAtStart.cpus} CPUs (${run.machineAtStart.cpuModel}), ${run.machineAtStart.memoryGiB} GiB, Node ${run.machineAtStart.node}, commit ${run.machineAtStart.commit}. Load average ${run.machineAtStart.loadAverage.join(" / ")} at the start, ${run.machineAtEnd.loadAverage.join(" / ")} at the end.`,
    "",
    `**${verdict.passed ? "Passed" : "Failed"}**: ${verdict.reasons.join("; ")}.`,
    "",
    `Load: ${run.rate} commands/s (customer journeys over the HTTP API: start, three pages, submit), alternating between the two web servers; ${fmt(counts.sent)} sent, ${fmt(counts.acknowledged)} acknowledged, ${fmt(counts.journeysCompleted)} journeys completed; failed: ${failures}. Sampled every ${run.sampleSeconds} s: each process's memory (proportional set size, from /proc; PostgreSQL's processes summed), the relay backlog and projection lag from GET /api/worker, and freshness: a save on one web server until the other serves that version.`,
    "",
    "![Memory, backlog and lag over the run](soak.svg)",
    "",
    "## Memory (MiB): second quarter against last quarter",
    "",
    "| process | second quarter | last quarter | flat (≤ 15% or 32 MiB more) |",
    "|---|---|---|---|",
    ...verdict.memoryGrowth.map((m) => `| ${m.role} | ${fmt(m.earlyMiB)} | ${fmt(m.lateMiB)} | ${m.flat ? "yes" : "**no**"} |`),
    "",
    "## Samples",
    "",
    `| minute | acknowledged | failed | relay backlog | projection lag (events) | freshness (ms) | ${roles.map((r) => `${r} MiB`).join(" | ")} |`,
    `|---|---|---|---|---|---|${roles.map(() => "---").join("|")}|`,
    ...samples.map((s) => `| ${fmt(s.minute, 1)} | ${fmt(s.acknowledged)} | ${s.failed} | ${s.relayBacklog ?? "n/a"} | ${s.projectionLagEvents ?? "n/a"} | ${s.freshnessMs === null ? "not seen" : fmt(s.freshnessMs)} | ${roles.map((r) => fmt(s.memoryMiB[r] ?? 0)).join(" | ")} |`),
    "",
  ];
  fs.writeFileSync(path.join(repoRoot, "bench", "SOAK.md"), lines.join("\n"));
  fs.writeFileSync(path.join(repoRoot, "bench", "soak.svg"), soakSvg(samples));
}
