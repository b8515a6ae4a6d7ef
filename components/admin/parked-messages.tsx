import type { DeadLetterSummary } from "@/lib/projections/parked-messages";
import { dateTime } from "./format";

const partitionOf = (source: string) => (source.startsWith("kafka:") ? `partition ${source.split(":").pop()}` : "event log");

/**
 * Messages the projector parked (could not apply), newest first, with why; the read models of their quotes stop
 * at the last good event until `npm run projections:replay-dlq`. Shows nothing when there are none.
 */
export function ParkedMessages({ summary }: { summary: DeadLetterSummary }) {
  if (summary.parked === 0) return null;
  return (
    <section aria-labelledby="parked-messages-heading">
      <h2 id="parked-messages-heading">Parked messages</h2>
      <div className="alert" role="status">
        <p>
          {summary.parked} message{summary.parked === 1 ? "" : "s"} could not be projected
          {summary.held > 0 ? `, and ${summary.held} later message${summary.held === 1 ? " waits" : "s wait"} behind them` : ""}. Those quotes show their last good
          state. After the fix, run <code>npm run projections:replay-dlq</code>.
        </p>
      </div>
      <div className="table-wrap">
        <table className="data">
          <caption>{summary.recent.length < summary.parked ? `The ${summary.recent.length} most recent` : "Every parked message"}</caption>
          <thead>
            <tr>
              <th scope="col">Parked at</th>
              <th scope="col">Quote or key</th>
              <th scope="col">Source</th>
              <th scope="col" className="number">
                Offset
              </th>
              <th scope="col">Reason</th>
              <th scope="col" className="number">
                Held behind
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.recent.map((message) => (
              <tr key={message.id}>
                <td>{dateTime(message.parkedAt)}</td>
                <td>
                  <code>{message.quoteId || "(no key)"}</code>
                </td>
                <td>{partitionOf(message.source)}</td>
                <td className="number">{message.offset}</td>
                <td>{message.reason}</td>
                <td className="number">{message.heldBehind}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
