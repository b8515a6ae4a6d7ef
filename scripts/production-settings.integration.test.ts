// The production entry points (npm run start:web, start:worker) stop at once, naming every required setting that is
// missing, instead of falling back to the development defaults (an embedded database, the local stand-in, embedded mode).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, it } from "node:test";
import { repoRoot } from "./lib/paths";

const REQUIRED = ["DATABASE_URL", "BETTER_AUTH_SECRET", "DATA_KEY_ENCRYPTION_KEY", "APPLICATION_NUMBER_SERVICE_URL", "KAFKA_BROKERS"] as const;

/** Runs `npm run <script>` with the suite's settings, less `unset`, plus `extra`, and waits for it to end. */
async function start(script: "start:web" | "start:worker", unset: readonly string[], extra: Record<string, string> = {}, args: string[] = []) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of [...unset, "NODE_ENV", "MESSAGING_MODE"]) if (!(name in extra)) delete env[name];
  for (const name of REQUIRED) if (!unset.includes(name)) assert.ok(env[name], `the suite's environment sets ${name}`);
  const started = Date.now();
  const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile("npm", ["run", "--silent", script, ...(args.length ? ["--", ...args] : [])], { cwd: repoRoot, env, encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
    });
  });
  return { status: result.status, stderr: result.stderr, output: result.stdout + result.stderr, seconds: (Date.now() - started) / 1000 };
}

const named = (output: string) => REQUIRED.filter((name) => new RegExp(`^  - ${name} is not set`, "m").test(output));

// Each case is a process that stops at once: a few at a time.
describe("production entry points refuse to start without their settings", { concurrency: 4 }, () => {
  for (const [script, name] of [
    ["start:web", "DATABASE_URL"],
    ["start:web", "BETTER_AUTH_SECRET"],
    ["start:web", "KAFKA_BROKERS"],
    ["start:web", "DATA_KEY_ENCRYPTION_KEY"],
    ["start:worker", "DATA_KEY_ENCRYPTION_KEY"],
    ["start:worker", "DATABASE_URL"],
    ["start:worker", "APPLICATION_NUMBER_SERVICE_URL"],
    ["start:worker", "KAFKA_BROKERS"],
  ] as const) {
    it(`${script} without ${name}: exit 1 at once, naming ${name} and nothing else`, async () => {
      const run = await start(script, [name]);
      assert.equal(run.status, 1, run.output);
      assert.match(run.stderr, new RegExp(`^npm run ${script} cannot start, missing settings:`, "m"));
      assert.deepEqual(named(run.output), [name], run.output);
      assert.doesNotMatch(run.output, /^\s+at /m, "no stack trace");
      assert.ok(run.seconds < 20, `stopped at once (${run.seconds} s)`);
    });
  }

  it("names every missing setting at once, and says how to choose embedded mode instead of Kafka", async () => {
    const web = await start("start:web", REQUIRED);
    assert.equal(web.status, 1);
    assert.deepEqual(named(web.output), ["DATABASE_URL", "BETTER_AUTH_SECRET", "DATA_KEY_ENCRYPTION_KEY", "KAFKA_BROKERS"], "the web tier never calls the application-number service");
    assert.match(web.output, /KAFKA_BROKERS is not set: .*set MESSAGING_MODE=embedded instead/);
    const worker = await start("start:worker", REQUIRED);
    assert.equal(worker.status, 1);
    assert.deepEqual(named(worker.output), ["DATABASE_URL", "DATA_KEY_ENCRYPTION_KEY", "APPLICATION_NUMBER_SERVICE_URL", "KAFKA_BROKERS"], "the worker never signs a session cookie");
  });

  it("asks a worker for the application-number service only when it runs the scheduled commands", async () => {
    const relayOnly = await start("start:worker", ["DATABASE_URL", "APPLICATION_NUMBER_SERVICE_URL"], {}, ["--only=relay,projector"]);
    assert.equal(relayOnly.status, 1);
    assert.deepEqual(named(relayOnly.output), ["DATABASE_URL"]);
  });

  it("takes MESSAGING_MODE=embedded for running without Kafka, refuses it beside KAFKA_BROKERS, and kafka without them", async () => {
    const embedded = await start("start:web", ["DATABASE_URL", "KAFKA_BROKERS"], { MESSAGING_MODE: "embedded" });
    assert.equal(embedded.status, 1);
    assert.deepEqual(named(embedded.output), ["DATABASE_URL"]);
    const both = await start("start:web", [], { MESSAGING_MODE: "embedded" });
    assert.equal(both.status, 1);
    assert.match(both.stderr, /MESSAGING_MODE=embedded: is embedded, but KAFKA_BROKERS is set: unset KAFKA_BROKERS to run without Kafka, or set MESSAGING_MODE=kafka/);
    const kafkaWithoutBrokers = await start("start:worker", ["KAFKA_BROKERS"], { MESSAGING_MODE: "kafka" });
    assert.equal(kafkaWithoutBrokers.status, 1);
    assert.match(kafkaWithoutBrokers.stderr, /^ {2}- KAFKA_BROKERS is not set, and MESSAGING_MODE is kafka/m);
  });
});
