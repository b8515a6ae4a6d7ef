import { config } from "../../lib/config";
import { startEmbeddedPostgres, type RunningPostgres } from "./embedded-postgres";

/**
 * The database URL this run should use: DATABASE_URL when set, otherwise a freshly started embedded PostgreSQL
 * (whose `stop` the caller owns).
 */
export async function resolveDatabase(log?: (line: string) => void): Promise<{ url: string; embedded: RunningPostgres | null }> {
  if (process.env.DATABASE_URL) return { url: config().DATABASE_URL, embedded: null };
  const embedded = await startEmbeddedPostgres({ log });
  return { url: embedded.url, embedded };
}
