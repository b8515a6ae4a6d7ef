/**
 * The production build the benchmarks and fault tests run against, in a build folder of their own
 * (NEXT_DIST_DIR, e.g. .next-perf), so they never collide with another run's `.next`.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../../scripts/lib/paths";

/** What goes into the build: a change under these makes an existing build stale. */
const SOURCES = ["app", "lib", "components", "schemas", "instrumentation.ts", "proxy.ts", "next.config.js", "package.json"];

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(target) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target)) {
    if (entry === "node_modules" || entry === "generated" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

export interface BuildInfo {
  distDir: string;
  buildId: string;
  builtAt: string;
  /** Built by this run (false: an existing build was reused). */
  built: boolean;
  /** Sources changed after the build that is being used. */
  stale: boolean;
  seconds: number;
}

/**
 * `auto`: build when there is no build or it is older than the sources; `reuse`: use any existing build (say if it is
 * stale), build only when there is none; `always` / `never`. A failed build falls back to an existing one (except
 * with `always`), saying so: other engineers' half-finished edits must not stop a benchmark of the code that builds.
 */
export async function ensureBuild(distDir: string, mode: "auto" | "reuse" | "always" | "never", log: (line: string) => void): Promise<BuildInfo> {
  const absolute = path.resolve(repoRoot, distDir);
  const buildIdFile = path.join(absolute, "BUILD_ID");
  const existing = fs.existsSync(buildIdFile) ? fs.statSync(buildIdFile).mtimeMs : 0;
  const sources = Math.max(...SOURCES.map((s) => newestMtime(path.join(repoRoot, s))));
  const stale = existing > 0 && sources > existing;
  const info = (built: boolean, seconds: number): BuildInfo => {
    const stat = fs.statSync(buildIdFile);
    return { distDir, buildId: fs.readFileSync(buildIdFile, "utf8").trim(), builtAt: stat.mtime.toISOString(), built, stale: !built && sources > stat.mtimeMs, seconds };
  };
  const wanted = mode === "always" || (mode === "auto" && (existing === 0 || stale)) || (mode === "reuse" && existing === 0);
  if (!wanted) {
    if (existing === 0) throw new Error(`No production build in ${distDir} (and building was turned off)`);
    log(`using the existing build in ${distDir} (${new Date(existing).toISOString()})${stale ? " — sources changed since; run without --quick or with --build to rebuild" : ""}`);
    return info(false, 0);
  }
  log(`building the production app into ${distDir} (next build; about 2 minutes on 2 cores) ...`);
  const started = performance.now();
  const logFile = path.join(repoRoot, ".data", `build-${path.basename(distDir)}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const code = await new Promise<number>((resolve) => {
    const out = fs.openSync(logFile, "w");
    const child = spawn(path.join(repoRoot, "node_modules", ".bin", "next"), ["build"], {
      cwd: repoRoot,
      env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
      stdio: ["ignore", out, out],
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 10 * 60_000);
    child.once("exit", (exitCode) => {
      clearTimeout(timer);
      fs.closeSync(out);
      resolve(exitCode ?? 1);
    });
  });
  const seconds = (performance.now() - started) / 1000;
  if (code === 0 && fs.existsSync(buildIdFile)) {
    log(`built in ${seconds.toFixed(0)} s (log: ${path.relative(repoRoot, logFile)})`);
    return info(true, seconds);
  }
  const tail = fs.readFileSync(logFile, "utf8").split("\n").slice(-25).join("\n");
  if (mode !== "always" && fs.existsSync(buildIdFile)) {
    log(`next build FAILED (exit ${code}); falling back to the existing build in ${distDir}. Last lines:\n${tail}`);
    return info(false, seconds);
  }
  throw new Error(`next build failed (exit ${code}); log ${logFile}:\n${tail}`);
}
