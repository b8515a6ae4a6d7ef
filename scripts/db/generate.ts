// Generates the Prisma client. Prisma's CLI looks for its native schema engine first and tries to download it,
// which fails offline; `generate` never uses the engine, so any existing file satisfies the lookup.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { repoRoot } from "../lib/paths";

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? fileURLToPath(import.meta.url), PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
const result = spawnSync("npx", ["prisma", "generate"], { cwd: repoRoot, env, stdio: "inherit" });
process.exit(result.status ?? 1);
