/**
 * The memory of every process under one parent, by role, read from /proc (Linux): each Kafka node, each web server,
 * each worker, the application-number stand-in, and PostgreSQL (its postmaster and backends together). Proportional
 * set size (PSS): memory shared between processes (PostgreSQL's shared buffers, touched by every backend) is split
 * between them rather than counted once per process, so a sum over processes means something.
 */
import fs from "node:fs";

interface ProcessEntry {
  pid: number;
  ppid: number;
  pssBytes: number;
  command: string;
  env: Record<string, string>;
}

/** The Pss line of /proc/<pid>/smaps_rollup, in bytes; the resident size when that file cannot be read. */
function proportionalSetSize(pid: number, rssPages: number): number {
  try {
    const kib = fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB$/m)?.[1];
    if (kib) return Number(kib) * 1024;
  } catch {
    /* gone, or not ours to read */
  }
  return rssPages * 4096;
}

function readProcess(pid: number): ProcessEntry | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: the fields after it start at the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    const rssPages = Number(fields[21]);
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    let env: Record<string, string> = {};
    try {
      env = Object.fromEntries(
        fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
      );
    } catch {
      /* another user's process */
    }
    return { pid, ppid, pssBytes: proportionalSetSize(pid, rssPages), command, env };
  } catch {
    return null;
  }
}

function allProcesses(): ProcessEntry[] {
  return fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((entry): entry is ProcessEntry => entry !== null);
}

/** Every process below `rootPids`, however deep. */
function descendants(rootPids: number[], processes: ProcessEntry[]): ProcessEntry[] {
  const children = new Map<number, ProcessEntry[]>();
  for (const p of processes) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: ProcessEntry[] = [];
  const queue = [...rootPids];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** The role a process plays, or null for the launchers in between (npm, sh, tsx's loader parent). */
function roleOf(p: ProcessEntry, all: ProcessEntry[]): string | null {
  if (/\bjava\b/.test(p.command) && /kafka/i.test(p.command)) {
    const node = p.command.match(/node-(\d+)/)?.[1];
    return `kafka-${node ?? p.pid}`;
  }
  if (/(^|\/)postgres\b/.test(p.command.split(" ")[0] ?? "") || /^postgres:/.test(p.command)) return "postgres";
  if (/scripts\/next-server\.ts|standalone\/server\.js|next-server/.test(p.command)) return `web-${p.env.APP_PORT ?? p.pid}`;
  if (/scripts\/worker\.ts|scripts\/start-worker\.ts/.test(p.command)) {
    // Both workers run the same command line: number them by pid, which stays the same for a run.
    const workers = all.filter((q) => /scripts\/worker\.ts|scripts\/start-worker\.ts/.test(q.command) && q.command === p.command).map((q) => q.pid).sort((a, b) => a - b);
    return `worker-${workers.indexOf(p.pid) + 1}`;
  }
  if (/application-number-service\.ts/.test(p.command)) return "app-number";
  return null;
}

/**
 * Memory (PSS, bytes) by role of the processes under `rootPids`. Where a role has a parent and a child of the same
 * role (tsx runs the script in a child), the deepest one is the process that does the work and is counted alone;
 * PostgreSQL's processes are summed.
 */
export function memoryByRole(rootPids: number[]): Map<string, number> {
  const all = allProcesses();
  const tree = descendants(rootPids, all);
  const roles = new Map<number, string>();
  for (const p of tree) {
    const role = roleOf(p, tree);
    if (role) roles.set(p.pid, role);
  }
  const byRole = new Map<string, number>();
  for (const p of tree) {
    const role = roles.get(p.pid);
    if (!role) continue;
    if (role !== "postgres" && tree.some((child) => child.ppid === p.pid && roles.get(child.pid) === role)) continue;
    byRole.set(role, role === "postgres" ? (byRole.get(role) ?? 0) + p.pssBytes : Math.max(byRole.get(role) ?? 0, p.pssBytes));
  }
  return byRole;
}
