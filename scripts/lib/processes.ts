import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { readableLogLine } from "./readable-logs";

const colors = [36, 35, 33, 32, 34, 31];
let nextColor = 0;

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(timeoutMs?: number): Promise<void>;
}

/** A prefixed-log prefix like "[worker] ", coloured on a terminal. */
export function prefixer(name: string, width = 10) {
  const color = colors[nextColor++ % colors.length];
  const label = `[${name}]`.padEnd(width + 2);
  return process.stdout.isTTY ? `\x1b[${color}m${label}\x1b[0m ` : `${label} `;
}

/**
 * Starts a child in its own process group (so `next`'s own children stop with it), prefixes every output
 * line with its name, and stops the whole group by pid.
 */
export function startProcess(name: string, command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; quiet?: boolean; readable?: boolean } = {}): ManagedProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const prefix = prefixer(name);
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    const lines = readline.createInterface({ input: stream });
    if (!options.quiet) lines.on("line", (line) => process.stdout.write(`${prefix}${options.readable ? readableLogLine(line) : line}\n`));
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : null))));
  let stopping: Promise<void> | null = null;
  return {
    name,
    child,
    exited,
    stop(timeoutMs = 10_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const signalGroup = (signal: NodeJS.Signals) => {
          try {
            process.kill(-child.pid!, signal);
          } catch {
            /* already gone */
          }
        };
        signalGroup("SIGTERM");
        const timer = setTimeout(() => signalGroup("SIGKILL"), timeoutMs);
        await exited;
        clearTimeout(timer);
        // Grandchildren (next-server) may outlive the group leader briefly.
        signalGroup("SIGKILL");
      })();
      return stopping;
    },
  };
}

export async function waitForHttp(url: string, timeoutMs: number, isOk: (res: Response) => boolean = (res) => res.ok): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (isOk(res)) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (last: ${last})`);
}
