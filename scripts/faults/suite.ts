/** Runs the fault scenarios one after another in one environment, and reports their counts (also to bench/FAULTS.md). */
import fs from "node:fs";
import path from "node:path";
import { machineInfo } from "../../bench/support/machine";
import { repoRoot } from "../lib/paths";
import * as applicationNumberChaos from "./application-number-chaos.faults";
import { describeCounts, startFaultEnvironment, type Counts, type FaultEnvironment } from "./harness";
import * as kafkaBrokerKill from "./kafka-broker-kill.faults";
import * as postgresOutage from "./postgres-outage.faults";
import * as workerSigkill from "./worker-sigkill.faults";

interface Scenario {
  name: string;
  run(env: FaultEnvironment, options: { quick: boolean; log: (line: string) => void }): Promise<Counts>;
  alsoRequire(counts: Counts): string | null;
}

export const SCENARIOS: Record<string, Scenario> = {
  kafka: kafkaBrokerKill,
  worker: workerSigkill,
  postgres: postgresOutage,
  "app-number": applicationNumberChaos,
};

export interface FaultRunOptions {
  quick: boolean;
  offset: number;
  distDir: string;
  build: "auto" | "reuse" | "always" | "never";
  only: string[] | null;
}

const log = (line: string) => console.log(`[faults] ${line}`);

export async function runFaultTests(options: FaultRunOptions): Promise<{ passed: number; failed: number }> {
  const chosen = Object.entries(SCENARIOS).filter(([key]) => !options.only || options.only.includes(key));
  const started = Date.now();
  const outcomes: Array<{ key: string; name: string; counts: Counts | null; verdict: string; seconds: number }> = [];
  let env: FaultEnvironment | null = null;
  const onSignal = () => void env?.stop().then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    log(`${options.quick ? "quick" : "full"} run: ${chosen.map(([k]) => k).join(", ")}; ports offset ${options.offset}`);
    env = await startFaultEnvironment({ offset: options.offset, distDir: options.distDir, build: options.build, log });
    for (const [key, scenario] of chosen) {
      const t = Date.now();
      log(`— ${scenario.name} (${key}) —`);
      let counts: Counts | null = null;
      let verdict: string;
      try {
        counts = await scenario.run(env, { quick: options.quick, log });
        const extra = scenario.alsoRequire(counts);
        verdict = counts.lost !== 0 || counts.duplicated !== 0 ? `FAIL: lost ${counts.lost}, duplicated ${counts.duplicated}${extra ? `; ${extra}` : ""}` : extra ? `FAIL: ${extra}` : "PASS";
        log(`  ${describeCounts(counts)}`);
      } catch (error) {
        verdict = `FAIL: ${(error as Error).message}`;
        log(`  ${(error as Error).stack ?? error}`);
      }
      const dead = env.deadProcesses();
      if (dead.length) {
        verdict = verdict === "PASS" ? `FAIL: ${dead.join(", ")} exited` : verdict;
        log(`  ${dead.join(", ")} exited; restarting the environment for the next scenario`);
        await env.stop();
        env = await startFaultEnvironment({ offset: options.offset, distDir: options.distDir, build: "never", log });
      }
      const seconds = (Date.now() - t) / 1000;
      log(`  ${verdict} (${seconds.toFixed(0)} s)`);
      outcomes.push({ key, name: scenario.name, counts, verdict, seconds });
    }
  } catch (error) {
    log(`environment failed: ${(error as Error).stack ?? error}`);
    outcomes.push({ key: "environment", name: "start the environment", counts: null, verdict: `FAIL: ${(error as Error).message}`, seconds: 0 });
  } finally {
    log("stopping everything this run started ...");
    await env?.stop();
  }
  const passed = outcomes.filter((o) => o.verdict === "PASS").length;
  const failed = outcomes.length - passed;
  writeFaultReport(options, outcomes, (Date.now() - started) / 1000);
  return { passed, failed };
}

function writeFaultReport(options: FaultRunOptions, outcomes: Array<{ key: string; name: string; counts: Counts | null; verdict: string; seconds: number }>, seconds: number) {
  const m = machineInfo();
  const file = path.join(repoRoot, "bench", options.quick ? "FAULTS-quick.md" : "FAULTS.md");
  const lines = [
    `# Fault tests — ${options.quick ? "quick" : "full"} run`,
    "",
    `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, \`npm run test:faults${options.quick ? " -- --quick" : ""}\`, ${seconds.toFixed(0)} s, commit ${m.commit}; ${m.cpus} CPUs, ${m.memoryGiB} GiB, load ${m.loadAverage.join(" / ")}.`,
    "",
    "| Scenario | Verdict | sent | acknowledged | projected | lost | duplicated | also |",
    "|---|---|---|---|---|---|---|---|",
    ...outcomes.map((o) => {
      const c = o.counts;
      const extra = c ? Object.entries(c).filter(([k]) => !["sent", "acknowledged", "projected", "lost", "duplicated"].includes(k)).map(([k, v]) => `${k} ${v}`).join(", ") : "";
      return `| ${o.name} | ${o.verdict.replaceAll("|", "/")} | ${c?.sent ?? ""} | ${c?.acknowledged ?? ""} | ${c?.projected ?? ""} | ${c?.lost ?? ""} | ${c?.duplicated ?? ""} | ${extra} |`;
    }),
    "",
  ];
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  log(`wrote ${path.relative(repoRoot, file)}`);
}
