/**
 * CPU time (user + system) of the processes this benchmark started, by role, from /proc (Linux only; elsewhere
 * every figure is null). Only the bench's own descendants count: another engineer's PostgreSQL or broker on the
 * same machine is not ours.
 */
import fs from "node:fs";

export const CPU_ROLES = ["next-server", "worker", "postgres", "kafka", "load generator"] as const;
export type CpuRole = (typeof CPU_ROLES)[number];
export type CpuSnapshot = Map<number, { role: CpuRole | null; ms: number }> | null;

const TICK_MS = 10; // USER_HZ is 100 on Linux

function roleOf(cmdline: string): CpuRole | null {
  if (cmdline.startsWith("postgres") || /\/postgres\s+-D/.test(cmdline)) return "postgres";
  if (cmdline.includes("java") && /kafka/i.test(cmdline)) return "kafka";
  if (/next-server|scripts\/next-server|start-web/.test(cmdline)) return "next-server";
  if (/worker/.test(cmdline)) return "worker";
  return null;
}

/** CPU used so far by this process and every process below it. */
export function cpuSnapshot(): CpuSnapshot {
  if (process.platform !== "linux") return null;
  const stats = new Map<number, { ppid: number; ms: number; cmdline: string }>();
  for (const entry of fs.readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      // The command name may hold spaces and parentheses: the fields start after the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      stats.set(pid, { ppid: Number(fields[1]), ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS, cmdline });
    } catch {
      // Exited while we looked.
    }
  }
  const ours = new Map<number, { role: CpuRole | null; ms: number }>();
  const roleAbove = (pid: number): CpuRole | null | undefined => {
    // The role of a process is its own or, failing that, its nearest classified ancestor's (a JVM's or Postgres's
    // helpers, a wrapper's child); undefined when it does not descend from this process.
    const chain: number[] = [];
    for (let p = pid; p > 1 && stats.has(p); p = stats.get(p)!.ppid) {
      chain.push(p);
      if (p === process.pid) break;
    }
    if (chain[chain.length - 1] !== process.pid) return undefined;
    if (pid === process.pid) return "load generator";
    for (const p of chain.slice(0, -1)) {
      const role = roleOf(stats.get(p)!.cmdline);
      if (role) return role;
    }
    return null;
  };
  for (const [pid, stat] of stats) {
    const role = roleAbove(pid);
    if (role !== undefined) ours.set(pid, { role, ms: stat.ms });
  }
  return ours;
}

/** CPU milliseconds each role used between two snapshots (processes started in between count from zero). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): Record<CpuRole, number> | null {
  if (!before || !after) return null;
  const used = Object.fromEntries(CPU_ROLES.map((role) => [role, 0])) as Record<CpuRole, number>;
  for (const [pid, { role, ms }] of after) {
    if (!role) continue;
    used[role] += ms - (before.get(pid)?.ms ?? 0);
  }
  return used;
}
