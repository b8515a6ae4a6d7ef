/**
 * One more `next start` (scripts/next-server.ts on the production build) beside the stack's, on a port of its own,
 * for the scale-out benchmark. Run as `node --import tsx` so that its pid is the server itself, in a process group
 * of its own: stop() signals that group by pid (SIGTERM, then SIGKILL after a grace period) and waits for the exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { repoRoot } from "../../scripts/lib/paths";
import { waitForHttp } from "../../scripts/lib/processes";

export interface AppProcess {
  pid: number;
  port: number;
  baseUrl: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines it printed (for an error message). */
  lines: string[];
  stop(graceMs?: number): Promise<void>;
}

export async function startAppProcess(env: NodeJS.ProcessEnv, port: number, options: { host?: string; readyTimeoutMs?: number } = {}): Promise<AppProcess> {
  const host = options.host ?? "127.0.0.1";
  if (!(await portIsFree(port, host))) throw new Error(`port ${port} is in use: another process would answer for this one`);
  // Next runs without the react-server condition (scripts/lib/server-node.ts), as the stack starts it.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/next-server.ts"], {
    cwd: repoRoot,
    env: { ...process.env, ...env, APP_HOST: host, APP_PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on("line", (line) => {
      lines.push(line.slice(0, 400));
      if (lines.length > 40) lines.shift();
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  let stopping: Promise<void> | null = null;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  const app: AppProcess = {
    pid: child.pid!,
    port,
    baseUrl: `http://${host}:${port}`,
    child,
    exited,
    lines,
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        if (!gone) {
          signalGroup("SIGTERM");
          const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
          await exited;
          clearTimeout(timer);
        }
        // Anything it started in its group goes with it.
        signalGroup("SIGKILL");
      })();
      return stopping;
    },
  };
  try {
    await Promise.race([
      waitForHttp(`${app.baseUrl}/api/health`, options.readyTimeoutMs ?? 60_000),
      exited.then(({ code, signal }) => {
        throw new Error(`exited before it answered (${code ?? signal})`);
      }),
    ]);
  } catch (error) {
    await app.stop();
    throw new Error(`next-server pid ${app.pid} on port ${port}: ${(error as Error).message}; last lines:\n${lines.slice(-10).join("\n")}`);
  }
  return app;
}

/** Whether nothing listens on host:port (so a health check there would reach our process, not someone else's). */
export async function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
