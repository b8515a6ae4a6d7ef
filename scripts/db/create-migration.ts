// npm run db:migration:create -- <name> — writes the next migration from the changes to prisma/schema.prisma.
import { loadConfigOrExit } from "../../lib/config";
import { repoRoot } from "../lib/paths";
import { createMigration } from "./migrations";
import { resolveDatabase } from "./with-database";
import { loadDotEnv } from "../lib/dotenv";

loadDotEnv();
loadConfigOrExit();
const name = process.argv[2];
if (!name || !/^[a-z0-9_-]+$/i.test(name)) {
  console.error("Usage: npm run db:migration:create -- <name>   (letters, digits, _ and - only)");
  process.exit(1);
}
// The diff itself needs no database, but the engine is always opened with an adapter.
const { url, embedded } = await resolveDatabase();
try {
  const dir = await createMigration(repoRoot, url, name);
  console.log(dir ? `Wrote ${dir}/migration.sql — apply it with npm run db:migrate` : "schema.prisma has no changes since the last migration.");
} finally {
  await embedded?.stop();
}
// The WebAssembly engine leaves a timer behind that would hold the process open for ~10 s.
process.exit(0);
