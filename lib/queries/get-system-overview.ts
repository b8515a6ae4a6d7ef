import "server-only";
import { z } from "zod";
import { agentOnly } from "../access/policies";
import { ok } from "../cqrs/app-error";
import type { QueryDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { COMMAND_HISTORY_BUCKETS, quantileFromBuckets } from "../observability/command-history";
import { WORKER_HEARTBEAT_STALE_MS } from "../worker/heartbeat";

export const SYSTEM_WINDOW_MINUTES = 60;

/** One minute of the last hour: null where nothing was recorded in it. */
export interface SystemMinute {
  /** The minute's start, ISO. */
  minute: string;
  /** The highest value any worker sampled in the minute. */
  relayBacklog: number | null;
  projectionLagEvents: number | null;
  projectionLagSeconds: number | null;
  /** Commands of every process in the minute, the server's failures among them, and their latency quantiles. */
  commands: number;
  commandErrors: number;
  commandP50Seconds: number | null;
  commandP99Seconds: number | null;
}

export interface SystemOverview {
  from: string;
  to: string;
  minutes: SystemMinute[];
  /** Workers that have beaten in the last 10 s, with their roles. */
  workers: Array<{ workerId: string; pid: number; mode: string; roles: string[]; startedAt: string; lastBeatAt: string }>;
}

const MINUTE = 60_000;

/** The system page's history: relay backlog, projection lag, command latency and errors per minute, and the live workers. */
export function getSystemOverview(deps: { db: PrismaClient; now?: () => Date }): QueryDefinition<Record<string, never>, SystemOverview> {
  return {
    type: "GetSystemOverview",
    schema: z.object({}).strict(),
    authorize: agentOnly,
    async handle() {
      const now = (deps.now ?? (() => new Date()))().getTime();
      const last = Math.floor(now / MINUTE) * MINUTE;
      const from = new Date(last - (SYSTEM_WINDOW_MINUTES - 1) * MINUTE);
      const [samples, commandRows, heartbeats] = await Promise.all([
        deps.db.$queryRaw<Array<{ minute: Date; backlog: number; lagEvents: number; lagSeconds: number }>>`
          SELECT date_trunc('minute', sampled_at) AS minute, max(relay_backlog)::int AS backlog,
                 max(projection_lag_events)::int AS "lagEvents", max(projection_lag_seconds)::float8 AS "lagSeconds"
          FROM system_samples WHERE sampled_at >= ${from} GROUP BY 1`,
        deps.db.commandMetricMinute.findMany({ where: { minute: { gte: from } } }),
        deps.db.workerHeartbeat.findMany({ where: { beatAt: { gte: new Date(now - WORKER_HEARTBEAT_STALE_MS) } }, orderBy: { startedAt: "asc" } }),
      ]);
      const sampled = new Map(samples.map((s) => [s.minute.getTime(), s]));
      const commands = new Map<number, { count: number; errors: number; buckets: number[] }>();
      for (const row of commandRows) {
        const key = row.minute.getTime();
        const sum = commands.get(key) ?? { count: 0, errors: 0, buckets: new Array<number>(COMMAND_HISTORY_BUCKETS.length + 1).fill(0) };
        sum.count += row.count;
        sum.errors += row.errors;
        row.buckets.forEach((n, i) => {
          if (i < sum.buckets.length) sum.buckets[i]! += n;
        });
        commands.set(key, sum);
      }
      const minutes: SystemMinute[] = [];
      for (let t = from.getTime(); t <= last; t += MINUTE) {
        const s = sampled.get(t);
        const c = commands.get(t);
        minutes.push({
          minute: new Date(t).toISOString(),
          relayBacklog: s?.backlog ?? null,
          projectionLagEvents: s?.lagEvents ?? null,
          projectionLagSeconds: s?.lagSeconds ?? null,
          commands: c?.count ?? 0,
          commandErrors: c?.errors ?? 0,
          commandP50Seconds: c ? quantileFromBuckets(c.buckets, 0.5) : null,
          commandP99Seconds: c ? quantileFromBuckets(c.buckets, 0.99) : null,
        });
      }
      return ok({
        from: from.toISOString(),
        to: new Date(last + MINUTE).toISOString(),
        minutes,
        workers: heartbeats.map((h) => ({ workerId: h.workerId, pid: h.pid, mode: h.mode, roles: h.roles, startedAt: h.startedAt.toISOString(), lastBeatAt: h.beatAt.toISOString() })),
      });
    },
  };
}
