// npm run bench            — the seven benchmarks, each beside a baseline measured in the same run.
// npm run bench -- --quick — the same, smaller (under 3 minutes when a production build exists in .next-perf).
//   --build      rebuild the production app first even with --quick; --no-build never build (use .next-perf).
//   --only=1,4   run only some benchmarks (1 command path … 6 page weight, 7 tracing overhead, 8 encryption cost); RESULTS.md is rewritten
//                only by a full set. `npm run bench -- --quick --only=7` runs the tracing row on its own.
//   --report     only rewrite bench/RESULTS.md and bench/command-latency.svg from the saved results (and NOTES.md).
//   --profile    instead: a CPU profile of next start and the worker under the command load (bench/profile.json);
//                combine with --only=0 to skip the benchmarks that need no app.
// Everything runs on its own ports and data folder (BENCH_PORT_OFFSET, default 300: PostgreSQL 54639, Kafka 19392,
// app 3400, application-number stand-in 4410; data in .data/test-300) and its own build folder (.next-perf).
import path from "node:path";

const argv = process.argv.slice(2);
const offset = Number(process.env.BENCH_PORT_OFFSET ?? 300);
const distDir = process.env.BENCH_DIST_DIR ?? ".next-perf";

// The configuration is read once per process, at first use, and the test ports at import: set everything first.
for (const name of ["TEST_DATABASE_URL", "TEST_KAFKA_BROKERS", "DATABASE_URL", "KAFKA_BROKERS", "APP_PORT", "APPLICATION_NUMBER_SERVICE_URL", "APPLICATION_NUMBER_SERVICE_PORT"]) delete process.env[name];
Object.assign(process.env, {
  TEST_PORT_OFFSET: String(offset),
  NEXT_DIST_DIR: distDir,
  NEXT_TELEMETRY_DISABLED: "1",
  BENCH_ROUTES: "1",
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
  DATABASE_URL: `postgresql://postgres:postgres@127.0.0.1:${54339 + offset}/quotes_test`,
  KAFKA_BROKERS: `127.0.0.1:${19092 + offset}`,
  APP_PORT: String(3100 + offset),
  APPLICATION_NUMBER_SERVICE_PORT: String(4110 + offset),
  APPLICATION_NUMBER_SERVICE_URL: `http://127.0.0.1:${4110 + offset}`,
  APPLICATION_NUMBER_STORE: path.resolve(".data", `test-${offset}`, "application-numbers.jsonl"),
  // Every quote here starts from 127.0.0.1, far more than the per-address limit a customer gets.
  QUOTE_START_RATE_LIMIT: "1000000",
  PROJECTION_GROUP: "bench-projections",
});

if (argv.includes("--report")) {
  // Only rewrite bench/RESULTS.md and the chart from the saved results (e.g. after editing bench/NOTES.md).
  const { rewriteReport } = await import("./report");
  process.exit(rewriteReport((line) => console.log(`[bench] ${line}`)) ? 0 : 1);
}

const only = argv.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",").map(Number);
const { runBenchmarks } = await import("./main");
const code = await runBenchmarks({
  quick: argv.includes("--quick"),
  profile: argv.includes("--profile"),
  build: argv.includes("--build") ? "always" : argv.includes("--no-build") ? "never" : argv.includes("--quick") ? "reuse" : "auto",
  only: only && only.length ? new Set(only) : null,
  offset,
  distDir,
});
process.exit(code);
