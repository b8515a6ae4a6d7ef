/**
 * A worker (scripts/worker.ts) as a child process of its own, run as `node --import tsx` so that its pid is the
 * worker itself (no tsx wrapper in between): SIGKILL on that pid really kills the worker, nothing is orphaned.
 */
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { repoRoot } from "../../scripts/lib/paths";
import { serverNodeArgs } from "../../scripts/lib/server-node";

export interface WorkerProcess {
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or 128 + signal number style: null code and a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Lines the worker logged at warn and above, and how many "worker round failed" lines. */
  warnings: string[];
  failedRounds(): number;
  /** Sends `signal` to this pid and waits for the exit (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export function startWorkerProcess(env: NodeJS.ProcessEnv, args: string[] = [], options: { readyTimeoutMs?: number; echo?: (line: string) => void } = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, serverNodeArgs("scripts/worker.ts", ...args), {
    cwd: repoRoot,
    env: { ...process.env, ...env, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const warnings: string[] = [];
  let failed = 0;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  void exited.then((info) => (exitInfo = info));
  const worker: WorkerProcess = {
    pid: child.pid!,
    child,
    exited,
    warnings,
    failedRounds: () => failed,
    async stop(signal = "SIGTERM", graceMs = 10_000) {
      if (exitInfo) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`worker pid ${child.pid} did not start within ${options.readyTimeoutMs ?? 60_000} ms; last lines:\n${warnings.slice(-10).join("\n")}`));
    }, options.readyTimeoutMs ?? 60_000);
    const onLine = (line: string) => {
      options.echo?.(line);
      if (line.includes('"worker started"')) {
        clearTimeout(timer);
        resolve(worker);
      }
      if (/"level":(40|50|60)/.test(line) || !line.startsWith("{")) {
        // Keep what a reader needs: the message and the error's own message (pino puts the stack before msg).
        let text = line.slice(0, 500);
        try {
          const entry = JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string } };
          text = `${entry.msg ?? ""}${entry.err ? ` — ${entry.err.type ?? "Error"}: ${entry.err.message ?? ""}` : ""}`.slice(0, 600);
        } catch {
          /* not JSON: keep the line */
        }
        warnings.push(text);
        if (warnings.length > 200) warnings.shift();
      }
      if (line.includes("worker round failed")) failed++;
    };
    readline.createInterface({ input: child.stdout! }).on("line", onLine);
    readline.createInterface({ input: child.stderr! }).on("line", onLine);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`worker exited before it started (${code ?? signal}); last lines:\n${warnings.slice(-10).join("\n")}`));
    });
  });
}
