// npm run start:web — the web tier in a deployment: the app's HTTP server (client addresses from TRUSTED_PROXIES,
// early refusals) on the production build's standalone output (`npm run build` first). Settings from the environment
// only (no .env file), every one it needs set (DATABASE_URL, BETTER_AUTH_SECRET; KAFKA_BROKERS, or
// MESSAGING_MODE=embedded); no embedded database, no application-number stand-in, no worker (npm run start:worker).
import { loadConfigOrExit } from "../lib/config/environment";
import { serveApp } from "./lib/app-http-server";
import { repoRoot } from "./lib/paths";
import { requireProductionSettings } from "./lib/production-settings";
import { standaloneOutput } from "./lib/standalone";

if (process.env.NODE_ENV && process.env.NODE_ENV !== "production") {
  console.error(`npm run start:web cannot start: NODE_ENV=${process.env.NODE_ENV}, but it serves the production build; unset NODE_ENV or set it to production`);
  process.exit(1);
}
Object.assign(process.env, { NODE_ENV: "production" });
requireProductionSettings({ kind: "web" }, "npm run start:web");
const env = loadConfigOrExit();
const distDir = process.env.NEXT_DIST_DIR || ".next";
let output;
try {
  output = standaloneOutput(repoRoot, distDir);
} catch (error) {
  console.error(`npm run start:web cannot start: ${(error as Error).message}`);
  process.exit(1);
}
if (!output) {
  console.error(`npm run start:web cannot start: the build in ${distDir} has no standalone output (it predates next.config.js's output: "standalone"): run \`npm run build\` again.`);
  process.exit(1);
}
await serveApp(env, { kind: "standalone", output });
