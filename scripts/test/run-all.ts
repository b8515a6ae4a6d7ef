// npm test — every suite: unit, integration (real PostgreSQL and Kafka, started here and stopped after) and
// Playwright e2e (production build, Debian's Chromium). Ends with one line "N passed, N failed" over all suites.
//   npm test -- --unit | --integration | --e2e | --faults   runs only the named suites (faults: the bounded fault tests;
//                                                         e2e: Playwright, then the api-fuzz suite on the same stack).
//   npm test -- --api-fuzz                                only the api-fuzz suite (schemathesis, scripts/test/api-fuzz.ts).
//   npm test -- --integration read-cache                  any other word keeps only the test files whose path has it.
//   npm test -- --e2e --no-build                          reuses the last production build.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import readline from "node:readline";
import { repoRoot } from "../lib/paths";
import { parseLogLine, readableLogLine } from "../lib/readable-logs";
import { startStack } from "../lib/stack";
import { countOperations, fuzzCredentials, schemathesisArgs, schemathesisBinary, undocumentedMethodsRefused } from "./api-fuzz";
import { prepareLanes, runInLanes } from "./integration-lanes";
import { findTests, isIntegrationTest, isUnitTest, needsProductionBuild, runsProcessesOfItsOwn } from "./find-tests";
import { startTestServers, type TestServers } from "./test-environment";
import { SERVER_CONDITION, serverNodeArgs } from "../lib/server-node";

type Counts = { passed: number; failed: number };
const results: Array<{ suite: string; seconds?: number } & Counts> = [];
const startedAt = performance.now();
/** Times a suite: its line in the summary says how long it took (suites may run side by side, so by name). */
async function timed(name: string, suite: () => Promise<unknown>) {
  const started = performance.now();
  await suite();
  for (const result of results) if (result.suite === name) result.seconds ??= (performance.now() - started) / 1000;
}
const wanted = ["--unit", "--integration", "--e2e", "--faults", "--api-fuzz"].filter((flag) => process.argv.includes(flag));
const runs = (suite: string) => wanted.length === 0 || wanted.includes(`--${suite}`);
const only = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
// Part of the e2e phase; left out when words pick some Playwright specs, unless one of them is "api-fuzz".
const runsApiFuzz = (runs("e2e") || wanted.includes("--api-fuzz")) && (only.length === 0 || only.includes("api-fuzz"));
const playwrightSpecs = only.filter((word) => word !== "api-fuzz");
const runsPlaywright = runs("e2e") && !(only.length > 0 && playwrightSpecs.length === 0);
const chosen = (files: string[]) => (only.length ? files.filter((file) => only.some((word) => file.includes(word))) : files);
const say = (line: string) => console.log(`[test] ${line}`);
// The brokers of a test run live minutes and carry little: the JVM's quick compiler alone starts them on half the CPU.
process.env.KAFKA_JVM_OPTIONS ??= "-XX:TieredStopAtLevel=1";
/** Whether the build runs beside the integration suite: each child's lines then start with what it is. */
let lanesAtOnce = false;
const LANE_WIDTH = 12;

/**
 * Runs a child, forwarding its output. The app's JSON log lines are held back rather than printed (a passing run's
 * are noise) and returned, so a failing run can show them beside its failure.
 */
interface RunOptions {
  timeoutMs?: number;
  /** Starts each line of the child's output with it while children run side by side. */
  lane?: string;
  /** Holds the child's output and prints it in one piece when it ends, so files run at once do not interleave. */
  whole?: boolean;
}

function run(command: string, args: string[], env: Record<string, string | undefined> = {}, { timeoutMs, lane, whole = false }: RunOptions = {}): Promise<{ code: number; output: string; logs: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const timer = timeoutMs
      ? setTimeout(() => {
          say(`no end after ${timeoutMs / 1000} s: stopping ${args.at(-1)}`);
          child.kill("SIGKILL");
        }, timeoutMs)
      : null;
    let output = "";
    const logs: string[] = [];
    const forward = (stream: NodeJS.ReadableStream, to: NodeJS.WriteStream) => {
      readline.createInterface({ input: stream }).on("line", (line) => {
        if (parseLogLine(line)) return void logs.push(line);
        output += `${line}\n`;
        const shown = lane && lanesAtOnce ? `${lane.padEnd(LANE_WIDTH)}│ ${line}\n` : `${line}\n`;
        if (whole) held.push(shown);
        else to.write(shown);
      });
    };
    const held: string[] = [];
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      process.stdout.write(held.join(""));
      resolve({ code: code ?? 1, output, logs });
    });
  });
}

const SHOWN_LOG_LINES = 150;

/** A failed run's log lines, readable, the last ones (nearest the failure). */
function showLogs(logs: string[]) {
  say(`the app's log lines of the failed run${logs.length > SHOWN_LOG_LINES ? ` (the last ${SHOWN_LOG_LINES} of ${logs.length})` : ""}:`);
  for (const line of logs.slice(-SHOWN_LOG_LINES)) console.log(`  ${readableLogLine(line)}`);
}

/** Node's test runner, spec reporter: reads its closing "ℹ pass N" / "ℹ fail N" lines. */
async function nodeTestRun(files: string[], env: Record<string, string | undefined>, concurrency: number, options: RunOptions = {}): Promise<Counts> {
  const { code, output, logs } = await run(process.execPath, [SERVER_CONDITION, "--import", "tsx", "--test", "--test-reporter=spec", `--test-concurrency=${concurrency}`,
    // A file that starts the whole stack on the production build (three brokers, several processes) gets longer.
    `--test-timeout=${files.some(needsProductionBuild) ? 280_000 : 120_000}`,
    // kafkajs leaves a ~30 s timer behind after a consumer disconnects; exit once a file's tests have finished.
    "--test-force-exit", ...files], env, options);
  const count = (label: string) => Number(output.match(new RegExp(`^ℹ ${label} (\\d+)$`, "m"))?.[1] ?? NaN);
  let passed = count("pass");
  let failed = count("fail") + count("cancelled");
  if (Number.isNaN(passed) || Number.isNaN(failed)) [passed, failed] = [0, 1];
  if (code !== 0 && failed === 0) failed = 1;
  if (failed > 0 && logs.length > 0) showLogs(logs);
  return { passed, failed };
}

/**
 * The unit files in one process: one entry that imports them all, so tsx compiles each shared module once and Node
 * starts once (429 tests: 28 s, from 1 min 42 s as a process per file on the same loaded machine). Unit tests
 * touch no server and no process-wide setting, which is what makes sharing a process safe.
 */
async function unitTestsInOneProcess(files: string[]) {
  if (files.length === 0) throw new Error("no unit test files found");
  say(`unit: ${files.length} file(s), in one process`);
  const entry = path.join(repoRoot, "test-results", `unit-tests${process.env.TEST_PORT_OFFSET ? `-${process.env.TEST_PORT_OFFSET}` : ""}.test.mjs`);
  fs.mkdirSync(path.dirname(entry), { recursive: true });
  fs.writeFileSync(entry, files.map((file) => `import ${JSON.stringify(pathToFileURL(path.resolve(repoRoot, file)).href)};`).join("\n") + "\n");
  results.push({ suite: "unit", ...(await nodeTestRun([entry], {}, 1)) });
}

/** How many integration files run at once (each in a lane of its own: scripts/test/integration-lanes.ts). */
const INTEGRATION_LANES = Number(process.env.TEST_INTEGRATION_LANES ?? 3);

/**
 * The integration files one runner each, with a bound on each: Node 20's runner, given many files that talk to a
 * real broker, was seen to spin without end between two files after both had passed. The files that run in process
 * go first, several at once in lanes of their own, beside the production build when one is being made (they mostly
 * wait on the broker and the database); the files that start processes of their own (the scripts, a test's own app
 * server on a fixed port) go after it one at a time, since on two cores they and the build starve each other.
 */
async function integrationTests(files: string[], env: Record<string, string>) {
  if (files.length === 0) throw new Error("no integration test files found");
  const inProcess = files.filter((file) => !runsProcessesOfItsOwn(file));
  const ofTheirOwn = files.filter(runsProcessesOfItsOwn);
  const lanes = await prepareLanes(Math.min(INTEGRATION_LANES, inProcess.length), env, say);
  say(`integration: ${files.length} file(s): the ${inProcess.length} that run in process, ${lanes.length} at a time, then the ${ofTheirOwn.length} that start processes of their own, one at a time`);
  const total: Counts = { passed: 0, failed: 0 };
  const runFile = async (file: string, fileEnv: Record<string, string>, lane: number) => {
    const counts = await nodeTestRun([file], fileEnv, 1, { timeoutMs: 300_000, lane: lanes.length > 1 ? `integration ${lane + 1}` : "integration", whole: lanes.length > 1 });
    total.passed += counts.passed;
    total.failed += counts.failed;
  };
  if (lanes.length > 1) lanesAtOnce = true;
  await runInLanes(inProcess, lanes, runFile, () => interrupted);
  const built = building ? await building : true;
  lanesAtOnce = false;
  await runInLanes(ofTheirOwn.filter((file) => !needsProductionBuild(file) || built), [env], runFile, () => interrupted);
  results.push({ suite: "integration", ...total });
}

/**
 * The production build, made once per run before the suites that use it (the e2e suite, and the integration tests
 * that run it); false when it failed. `--no-build` reuses the last one.
 */
let building: Promise<boolean> | null = null;
function productionBuild(): Promise<boolean> {
  building ??= (async () => {
    if (process.argv.includes("--no-build")) {
      say("reusing the last production build (--no-build)");
      return true;
    }
    say("building the production app");
    const build = await run(path.join(repoRoot, "node_modules/.bin/next"), ["build"], { NEXT_TELEMETRY_DISABLED: "1", NEXT_BUILD_SKIP_TYPECHECK: "true" }, { lane: "build" });
    if (build.code !== 0) results.push({ suite: "build", passed: 0, failed: 1 });
    return build.code === 0;
  })();
  return building;
}

async function e2eTests(servers: TestServers) {
  if (!(await productionBuild())) return results.push({ suite: "e2e", passed: 0, failed: 1 });
  Object.assign(process.env, servers.env);
  // Specs wait for a request to fail for good: give up after 3 rounds rather than the default 9 (~2.5 min).
  // quote-expiry.spec.ts submits on a web server of its own whose quotes are valid for seconds (the worker expires a
  // quote at the moment its submission recorded), so no other spec's quote expires under it.
  const shortValidityPort = Number(servers.env.APP_PORT) + 1;
  const stack = await startStack({
    kafka: false,
    production: true,
    quiet: !process.env.E2E_VERBOSE,
    mailCatcher: true,
    env: {
      APPLICATION_NUMBER_MAX_ROUNDS: "3",
      // quote-underwriting.spec.ts refers a quote from Alaska; no other spec submits one from there.
      UNDERWRITING_REFERRAL_REGIONS: "US-AK",
      UNDERWRITING_PREMIUM_LIMIT: "none",
    },
    webServersWithSettings: [{ port: shortValidityPort, env: { QUOTE_VALIDITY_DAYS: "20s" } }],
  });
  process.env.E2E_SHORT_VALIDITY_URL = `http://127.0.0.1:${shortValidityPort}`;
  say(`e2e: app on ${stack.baseUrl} (Kafka mode)`);
  try {
    if (runsPlaywright) await timed("e2e", () => playwrightTests(stack));
    if (runsApiFuzz && !interrupted) await timed("api-fuzz", () => apiFuzzTests(stack));
  } finally {
    await stack.stop();
  }
}

async function playwrightTests(stack: { env: NodeJS.ProcessEnv; baseUrl: string }) {
  const reportPath = path.join(repoRoot, "test-results", `e2e-report${process.env.TEST_PORT_OFFSET ? `-${process.env.TEST_PORT_OFFSET}` : ""}.json`);
  fs.rmSync(reportPath, { force: true });
  await run(path.join(repoRoot, "node_modules/.bin/playwright"), ["test", ...playwrightSpecs], {
    ...stack.env,
    E2E_BASE_URL: stack.baseUrl,
    PLAYWRIGHT_JSON_OUTPUT_FILE: reportPath,
  });
  const report = fs.existsSync(reportPath) ? (JSON.parse(fs.readFileSync(reportPath, "utf8")) as { stats: Record<string, number> }) : null;
  if (!report) return results.push({ suite: "e2e", passed: 0, failed: 1 });
  const { expected = 0, unexpected = 0, flaky = 0 } = report.stats;
  results.push({ suite: "e2e", passed: expected + flaky, failed: unexpected });
}

/** schemathesis against the same stack, from its own OpenAPI document; counted per operation, failed by any finding. */
async function apiFuzzTests(stack: { env: NodeJS.ProcessEnv; baseUrl: string }) {
  const reportPath = path.join(repoRoot, "test-results", `api-fuzz${process.env.TEST_PORT_OFFSET ? `-${process.env.TEST_PORT_OFFSET}` : ""}.xml`);
  fs.rmSync(reportPath, { force: true });
  try {
    const st = await schemathesisBinary();
    const credentials = await fuzzCredentials(stack.baseUrl, stack.env);
    say(`api-fuzz: schemathesis against ${stack.baseUrl}/api/openapi.json`);
    const { code } = await run(st, schemathesisArgs(stack.baseUrl, reportPath), credentials, { timeoutMs: 300_000 });
    const counts = countOperations(reportPath) ?? { passed: 0, failed: 1 };
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    const methods = await undocumentedMethodsRefused(stack.baseUrl, credentials.API_FUZZ_QUOTE_ID!);
    say(`api-fuzz: ${methods.passed} undocumented methods answered 405`);
    for (const line of methods.failed) say(`api-fuzz: ${line}`);
    results.push({ suite: "api-fuzz", passed: counts.passed + methods.passed, failed: counts.failed + methods.failed.length });
  } catch (error) {
    say(`api-fuzz: ${(error as Error).message}`);
    results.push({ suite: "api-fuzz", passed: 0, failed: 1 });
  }
}

/**
 * The bounded fault tests (scripts/faults, `--quick`): servers of their own on TEST_PORT_OFFSET + 40, reusing the
 * e2e build. A child process, since configuration is read once per process.
 */
async function faultTests() {
  say("faults: the bounded fault tests (npm run test:faults -- --quick)");
  const { output, logs } = await run(process.execPath, serverNodeArgs("scripts/faults/run.ts", "--quick"), { FAULTS_DIST_DIR: process.env.NEXT_DIST_DIR || ".next" }, { lane: "faults" });
  const counts = output.match(/^faults: (\d+) passed, (\d+) failed$/m);
  const failed = counts ? Number(counts[2]) : 1;
  if (failed > 0 && logs.length > 0) showLogs(logs);
  results.push({ suite: "faults", passed: Number(counts?.[1] ?? 0), failed });
}

let servers: TestServers | null = null;
let interrupted = false;
const cleanUp = async () => {
  const s = servers;
  servers = null;
  await s?.stop();
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    interrupted = true;
    void cleanUp().then(() => process.exit(130));
  });
}

try {
  if (runs("unit")) await timed("unit", () => unitTestsInOneProcess(chosen(findTests(repoRoot, ["lib", "schemas", "scripts", "components", "app"], isUnitTest))));
  const integrationFiles = runs("integration") ? chosen(findTests(repoRoot, ["lib", "scripts", "app"], isIntegrationTest)) : [];
  const runsE2e = runsPlaywright || runsApiFuzz;
  if (runs("integration") || runsE2e) {
    // The build starts now and the integration suite's first files run beside it (integrationTests).
    const build = runsE2e || integrationFiles.some(needsProductionBuild) || runs("faults") ? timed("build", () => productionBuild()) : null;
    lanesAtOnce = build !== null && integrationFiles.length > 0;
    say("starting PostgreSQL and Kafka for the integration and e2e suites");
    servers = await startTestServers(say);
    // The fault scenarios mostly wait (on a killed process, a lease, a leader election): they run on servers of their
    // own beside the other suites, from the moment the build they start is made.
    const faults = runs("faults") ? build!.then(async () => (building && (await building) && !interrupted ? timed("faults", () => faultTests()) : undefined)) : null;
    if (runs("integration")) await timed("integration", () => integrationTests(integrationFiles, servers!.env));
    await build;
    lanesAtOnce = false;
    if (runsE2e && !interrupted) await e2eTests(servers!);
    await faults;
  } else if (runs("faults") && !interrupted) await timed("faults", () => faultTests());
} catch (error) {
  console.error(error);
  results.push({ suite: "setup", passed: 0, failed: 1 });
} finally {
  await cleanUp();
}

const minutesAndSeconds = (seconds: number) => (seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${seconds.toFixed(1)} s`);
for (const r of results) say(`${r.suite}: ${r.passed} passed, ${r.failed} failed${r.seconds === undefined ? "" : ` in ${minutesAndSeconds(r.seconds)}`}`);
say(`total: ${minutesAndSeconds((performance.now() - startedAt) / 1000)}`);
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
