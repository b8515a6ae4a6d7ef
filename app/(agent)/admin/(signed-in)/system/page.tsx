import type { Metadata } from "next";
import { TimeSeriesChart } from "@/components/admin/time-series-chart";
import { dateTime } from "@/components/admin/format";
import { systemOverview } from "@/lib/agent/queries";
import { requireAgentPage } from "@/lib/auth/server";

export const metadata: Metadata = { title: "System" };

const ROLES = ["relay", "projector", "scheduled"] as const;

/**
 * The platform's health over the last hour, drawn on the server: relay backlog and projection lag (sampled by the
 * workers), command latency and error rate (every web and worker process's commands, per minute), and which worker
 * roles are alive now. Prometheus has the same and more (docs/OPERATIONS.md); this page needs none.
 */
export default async function SystemPage() {
  const session = await requireAgentPage("/admin/system");
  const result = await systemOverview(session);
  if (!result.ok) throw new Error(`GetSystemOverview refused: ${result.error.detail}`);
  const overview = result.value;
  const minutes = overview.minutes.map((m) => m.minute);
  const alive = (role: string) => overview.workers.filter((w) => w.roles.includes(role));

  return (
    <>
      <h1>System</h1>
      <p>
        The last hour, minute by minute, from {dateTime(overview.from)} to {dateTime(overview.to)}. Backlog and lag are the highest a worker sampled in the minute; latency and errors
        count the commands of every process. Reload the page for newer minutes.
      </p>

      <h2>Workers alive now</h2>
      <table className="data" aria-label="Worker roles alive now">
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col" className="number">
              Workers
            </th>
          </tr>
        </thead>
        <tbody>
          {ROLES.map((role) => (
            <tr key={role} data-role={role}>
              <th scope="row">{role}</th>
              <td>{alive(role).length > 0 ? "Alive" : "Not running"}</td>
              <td className="number">{alive(role).length}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {overview.workers.length === 0 ? (
        <p>No worker has reported in the last 10 seconds: events wait in the outbox until one runs.</p>
      ) : (
        <ul>
          {overview.workers.map((w) => (
            <li key={w.workerId}>
              Worker {w.workerId.slice(0, 8)} (pid {w.pid}, {w.mode} mode): {w.roles.length ? w.roles.join(", ") : "roles not reported"}; started {dateTime(w.startedAt)}
            </li>
          ))}
        </ul>
      )}

      <h2>Outbox and projection</h2>
      <TimeSeriesChart id="relay-backlog" title="Relay backlog (events not yet published)" minutes={minutes} format="count" series={[{ name: "Backlog", color: "#1d70b8", values: overview.minutes.map((m) => m.relayBacklog) }]} />
      <TimeSeriesChart id="projection-lag" title="Projection lag (events not yet applied)" minutes={minutes} format="count" series={[{ name: "Lag", color: "#1d70b8", values: overview.minutes.map((m) => m.projectionLagEvents) }]} />
      <TimeSeriesChart id="projection-lag-seconds" title="Projection lag in seconds (oldest unapplied event)" minutes={minutes} format="seconds" series={[{ name: "Lag", color: "#1d70b8", values: overview.minutes.map((m) => m.projectionLagSeconds) }]} />

      <h2>Commands</h2>
      <TimeSeriesChart
        id="command-latency"
        title="Command latency"
        minutes={minutes}
        format="seconds"
        series={[
          { name: "p50", color: "#1d70b8", values: overview.minutes.map((m) => m.commandP50Seconds) },
          { name: "p99", color: "#d4351c", values: overview.minutes.map((m) => m.commandP99Seconds) },
        ]}
      />
      <TimeSeriesChart
        id="command-errors"
        title="Command error rate (server failures)"
        minutes={minutes}
        format="percent"
        series={[{ name: "Errors", color: "#d4351c", values: overview.minutes.map((m) => (m.commands ? m.commandErrors / m.commands : null)) }]}
      />
    </>
  );
}
