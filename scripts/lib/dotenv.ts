import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "./paths";

/**
 * Loads `.env` from the repository root into process.env, as Next.js does for the app, so that the scripts a person
 * runs (dev, worker, migrations, agents) see the same settings. Variables already set in the environment win.
 * The test runner does not call it: tests set what they need.
 */
export function loadDotEnv(file = path.join(repoRoot, ".env")): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}
