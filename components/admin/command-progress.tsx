import Link from "next/link";
import type { QuoteStatus } from "@/lib/domain/quote";
import type { CommandBatchItemView, CommandBatchView } from "@/lib/queries/contracts";
import { STATUS_LABEL } from "./format";

const DOING: Record<string, string> = { approve: "Approving", refer: "Referring" };
const DONE: Record<string, string> = { approve: "Approved", refer: "Referred" };

function itemOutcome(item: CommandBatchItemView): string {
  if (item.status === "pending") return "Waiting";
  if (item.status === "done") return STATUS_LABEL[item.outcome as QuoteStatus] ?? item.outcome ?? "Done";
  if (item.status === "refused") return `Not decided: ${item.message ?? item.outcome}`;
  return `Failed: ${item.message ?? "the platform could not decide it"}`;
}

/** "3 approved, 1 not decided, 2 waiting" */
export function commandSummary(command: CommandBatchView): string {
  const parts = [
    `${command.done} ${(DONE[command.decision] ?? "decided").toLowerCase()}`,
    ...(command.refused ? [`${command.refused} not decided`] : []),
    ...(command.failed ? [`${command.failed} failed`] : []),
    ...(command.pending ? [`${command.pending} waiting`] : []),
  ];
  return `${parts.join(", ")} of ${command.total}`;
}

/** A bulk decision's progress and each quote's outcome: on its own page, and under the quote list while it runs. */
export function CommandProgress({ command, headingLevel = 2 }: { command: CommandBatchView; headingLevel?: 1 | 2 }) {
  const Heading = headingLevel === 1 ? "h1" : "h2";
  const title = `${command.status === "done" ? DONE[command.decision] ?? "Decided" : DOING[command.decision] ?? "Deciding"} ${command.total} quote${command.total === 1 ? "" : "s"}`;
  return (
    <section aria-labelledby={`command-${command.id}`} className="command-progress" data-testid="command-progress">
      <Heading id={`command-${command.id}`}>{title}</Heading>
      <p role="status" data-testid="command-summary">
        {command.status === "done" ? "Done: " : command.status === "queued" ? "Queued: " : "In progress: "}
        {commandSummary(command)}
      </p>
      <progress max={command.total} value={command.total - command.pending} aria-label="Quotes handled" />
      {command.reason && <p className="muted">Reason: “{command.reason}”</p>}
      <div className="table-wrap">
        <table className="data">
          <caption>Each quote&apos;s outcome</caption>
          <thead>
            <tr>
              <th scope="col">Quote</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {command.items.map((item) => (
              <tr key={item.quoteId} data-testid="command-item">
                <td>
                  <Link href={`/admin/quotes/${item.quoteId}`}>{item.applicationNumber ?? `Quote ${item.quoteId.slice(0, 8)}`}</Link>
                </td>
                <td className={`outcome ${item.status}`}>{itemOutcome(item)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
