/** Runs the fault scenarios one after another in one environment, and reports their counts (also to bench/FAULTS.md). */
import fs from "node:fs";
import path from "node:path";
import { machineInfo } from "../../bench/support/machine";
import { repoRoot } from "../lib/paths";
import * as applicationNumberChaos from "./application-number-chaos.faults";
import * as brokerFailover from "./broker-failover.faults";
import * as emailExactlyOnce from "./email-exactly-once.faults";
import { startClusterFaultEnvironment } from "./cluster-environment";
import { describeCounts, startFaultEnvironment, type Counts, type FaultEnvironment } from "./harness";
import * as kafkaBrokerKill from "./kafka-broker-kill.faults";
import * as postgresOutage from "./postgres-outage.faults";
import * as relayFailover from "./relay-failover.faults";
import * as workerSigkill from "./worker-sigkill.faults";

interface Scenario {
  name: string;
  run(env: FaultEnvironment, options: { quick: boolean; log: (line: string) => void }): Promise<Counts>;
  alsoRequire(counts: Counts): string | null;
  /** "kafka-cluster": runs against three Kafka nodes (cluster-environment.ts) instead of the single broker. */
  environment?: string;
}

export const SCENARIOS: Record<string, Scenario> = {
  kafka: kafkaBrokerKill,
  worker: workerSigkill,
  "relay-failover": relayFailover,
  postgres: postgresOutage,
  "app-number": applicationNumberChaos,
  email: emailExactlyOnce,
  "broker-failover": brokerFailover,
};

type EnvironmentKind = "single-broker" | "kafka-cluster";
const kindOf = (scenario: Scenario): EnvironmentKind => (scenario.environment === "kafka-cluster" ? "kafka-cluster" : "single-broker");

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
  let env = null as FaultEnvironment | null; // assigned in startEnvironment too: not narrowed to null
  let envKind = null as EnvironmentKind | null;
  let built = false;
  const startEnvironment = async (kind: EnvironmentKind): Promise<FaultEnvironment> => {
    const start = kind === "kafka-cluster" ? startClusterFaultEnvironment : startFaultEnvironment;
    const started = await start({ offset: options.offset, distDir: options.distDir, build: built ? "never" : options.build, log });
    env = started;
    envKind = kind;
    built = true;
    return started;
  };
  const onSignal = () => void env?.stop().then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    log(`${options.quick ? "quick" : "full"} run: ${chosen.map(([k]) => k).join(", ")}; ports offset ${options.offset}`);
    for (const [key, scenario] of chosen) {
      let current: FaultEnvironment | null = env;
      if (!current || envKind !== kindOf(scenario)) {
        await current?.stop();
        env = null;
        current = await startEnvironment(kindOf(scenario));
      }
      const t = Date.now();
      log(`— ${scenario.name} (${key}) —`);
      let counts: Counts | null = null;
      let verdict: string;
      try {
        counts = await scenario.run(current, { quick: options.quick, log });
        const extra = scenario.alsoRequire(counts);
        verdict = counts.lost !== 0 || counts.duplicated !== 0 ? `FAIL: lost ${counts.lost}, duplicated ${counts.duplicated}${extra ? `; ${extra}` : ""}` : extra ? `FAIL: ${extra}` : "PASS";
        log(`  ${describeCounts(counts)}`);
      } catch (error) {
        verdict = `FAIL: ${(error as Error).message}`;
        log(`  ${(error as Error).stack ?? error}`);
      }
      const dead = current.deadProcesses();
      if (dead.length) {
        verdict = verdict === "PASS" ? `FAIL: ${dead.join(", ")} exited` : verdict;
        log(`  ${dead.join(", ")} exited; restarting the environment for the next scenario`);
        await current.stop();
        env = null;
        await startEnvironment(kindOf(scenario));
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
  const command = `npm run test:faults${options.quick ? " -- --quick" : ""}${options.only ? `${options.quick ? "" : " --"} --only=${options.only.join(",")}` : ""}`;
  const earlier = options.only ? earlierRows(file, new Set(outcomes.map((o) => o.name))) : [];
  const lines = [
    `# Fault tests — ${options.quick ? "quick" : "full"} run`,
    "",
    `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, \`${command}\`, ${seconds.toFixed(0)} s, commit ${m.commit}; ${m.cpus} CPUs, ${m.memoryGiB} GiB, load ${m.loadAverage.join(" / ")}.`,
    ...(earlier.length ? ["A verdict followed by \"(run of …)\" is kept from that earlier run, which this one did not repeat."] : []),
    "",
    "| Scenario | Verdict | sent | acknowledged | projected | lost | duplicated | also |",
    "|---|---|---|---|---|---|---|---|",
    ...earlier,
    ...outcomes.map((o) => {
      const c = o.counts;
      const extra = c ? Object.entries(c).filter(([k]) => !["sent", "acknowledged", "projected", "lost", "duplicated"].includes(k)).map(([k, v]) => `${k} ${v}`).join(", ") : "";
      return `| ${o.name} | ${o.verdict.replaceAll("|", "/").replace(/\s*\n\s*/g, " ")} | ${c?.sent ?? ""} | ${c?.acknowledged ?? ""} | ${c?.projected ?? ""} | ${c?.lost ?? ""} | ${c?.duplicated ?? ""} | ${extra} |`;
    }),
    "",
  ];
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  log(`wrote ${path.relative(repoRoot, file)}`);
}

/**
 * A run of some scenarios only (--only) keeps the other scenarios' rows of the report it replaces, each verdict marked
 * with the time of the run that wrote it.
 */
function earlierRows(file: string, replaced: Set<string>): string[] {
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const ranAt = lines.map((line) => /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC), `npm run test:faults/.exec(line)?.[1]).find(Boolean) ?? "an earlier run";
  const scenarioNames = new Set(Object.values(SCENARIOS).map((scenario) => scenario.name));
  return lines
    .filter((line) => line.startsWith("| ") && scenarioNames.has(line.split("|")[1]!.trim()) && !replaced.has(line.split("|")[1]!.trim()))
    .map((line) => {
      const cells = line.split(" | ");
      if (!/\(run of [^)]*\)$/.test(cells[1]!)) cells[1] = `${cells[1]} (run of ${ranAt})`;
      return cells.join(" | ");
    });
}
