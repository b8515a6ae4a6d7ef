/**
 * A CPU profile of the app server under the command load (npm run bench -- --profile): `next start` and the worker
 * run with bench/support/cpu-profile-preload.mjs (the inspector's sampling profiler, 0.5 ms), autocannon sends PUT contact-details at 16 clients for a while, the server is stopped (which writes the
 * profile), and its samples are summed by where the code comes from (a package under node_modules, Next's own
 * server, the app's lib/, Node internals, GC).
 */
import fs from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  byOrigin: Array<{ origin: string; ms: number; share: number }>;
  topFunctions: Array<{ fn: string; origin: string; ms: number; share: number }>;
}

function originOf(url: string, fn: string): string {
  if (url.startsWith("wasm://")) return "@prisma/client (query compiler, wasm)";
  if (!url) return fn === "(garbage collector)" ? "GC" : fn === "(idle)" || fn === "(program)" ? fn : "native";
  const clean = url.replace(/^file:\/\//, "");
  const pkg = clean.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) {
    if (pkg[1] === "next") return clean.includes("/compiled/") ? "next (bundled deps)" : "next (server)";
    if (pkg[1] === "@prisma/client") return "@prisma/client (runtime)";
    return pkg[1]!;
  }
  if (clean.startsWith("node:")) return "node internals";
  const chunk = clean.match(/\[root-of-the-server\]|\/server\/chunks\//);
  if (chunk) return "app server chunks (lib/, app/, bundled deps)";
  return path.basename(clean);
}

/** Self time by origin and the hottest functions of one .cpuprofile. */
export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byOrigin = new Map<string, number>();
  const byFn = new Map<string, { origin: string; ms: number }>();
  let total = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    const { functionName, url } = node.callFrame;
    if (functionName === "(idle)") continue;
    const origin = originOf(url, functionName);
    total += ms;
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + ms);
    const key = `${functionName || "(anonymous)"} ${url ? path.basename(url.replace(/^file:\/\//, "")) : ""}`.trim();
    const entry = byFn.get(key) ?? { origin, ms: 0 };
    entry.ms += ms;
    byFn.set(key, entry);
  }
  return {
    file,
    totalMs: total,
    byOrigin: [...byOrigin].map(([origin, ms]) => ({ origin, ms, share: ms / total })).sort((a, b) => b.ms - a.ms),
    topFunctions: [...byFn].map(([fn, v]) => ({ fn, origin: v.origin, ms: v.ms, share: v.ms / total })).sort((a, b) => b.ms - a.ms).slice(0, top),
  };
}

/** The profile of the busiest process in `dir` (the one with the most samples: next-server under load). */
export function busiestProfile(dir: string): string | null {
  if (!fs.existsSync(dir)) return null;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).map((f) => path.join(dir, f));
  let best: string | null = null;
  let bestSize = -1;
  for (const file of files) {
    const size = fs.statSync(file).size;
    if (size > bestSize) [best, bestSize] = [file, size];
  }
  return best;
}
