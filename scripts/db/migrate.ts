// npm run db:migrate — applies pending migrations (to embedded Postgres when DATABASE_URL is not set).
import { loadConfigOrExit } from "../../lib/config";
import { repoRoot } from "../lib/paths";
import { applyMigrations } from "./migrations";
import { resolveDatabase } from "./with-database";
import { loadDotEnv } from "../lib/dotenv";

loadDotEnv();
loadConfigOrExit();
const { url, embedded } = await resolveDatabase();
try {
  const applied = await applyMigrations(repoRoot, url);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date.");
} finally {
  await embedded?.stop();
}
// The WebAssembly engine leaves a timer behind that would hold the process open for ~10 s.
process.exit(0);
