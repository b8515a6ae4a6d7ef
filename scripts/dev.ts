// npm run dev            — Postgres (embedded unless DATABASE_URL), migrations, stand-in, worker, next dev.
// npm run dev:kafka      — the same plus the local Kafka broker, in Kafka mode.
// npm start              — the same on the production build (run `npm run build` first).
import fs from "node:fs";
import path from "node:path";
import { loadConfigOrExit } from "../lib/config";
import { repoRoot } from "./lib/paths";
import { startStack } from "./lib/stack";
import { loadDotEnv } from "./lib/dotenv";

loadDotEnv();
loadConfigOrExit();
const kafka = process.argv.includes("--kafka");
const production = process.argv.includes("--production");
if (production && !fs.existsSync(path.join(repoRoot, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"))) {
  console.error("No production build found: run `npm run build` first.");
  process.exit(1);
}

const stack = await startStack({ kafka, production }).catch((error: Error) => {
  console.error(`Could not start: ${error.message}`);
  process.exit(1);
});
console.log(`\nReady: ${stack.baseUrl} (${stack.env.KAFKA_BROKERS ? `Kafka mode, brokers ${stack.env.KAFKA_BROKERS}` : "embedded mode"}). Ctrl-C stops everything.`);
if (stack.demoAgent) console.log(`Agents sign in at ${stack.baseUrl}/admin as ${stack.demoAgent.email} / ${stack.demoAgent.password}`);
console.log("");

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
const exited = await stack.firstExit;
if (!stopping) {
  console.error(`${exited.name} exited unexpectedly; stopping everything.`);
  await shutdown(1);
}
