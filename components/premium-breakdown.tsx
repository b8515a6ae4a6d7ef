/** A premium's breakdown as a table: each line's effect on the monthly price, then the monthly and yearly totals. */
import { formatMoney } from "@/lib/domain/quote/money";
import type { Premium, PremiumLine } from "@/lib/domain/quote/premium";

/** One line's effect on the monthly total, in words a customer reads. */
function lineEffect(line: PremiumLine, money: (amount: number) => string): string {
  switch (line.kind) {
    case "base":
      return `${money(line.value)} a month`;
    case "factor":
      return `× ${line.value.toLocaleString("en-US", { maximumFractionDigits: 4 })}`;
    case "amount":
      return `${line.value < 0 ? "−" : "+"} ${money(Math.abs(line.value))} a month`;
  }
}

export interface PremiumBreakdownProps {
  premium: Premium;
  /** The table's accessible name. */
  caption: string;
  /** "premium-breakdown" on the customer's pages, "data" on the agents'. */
  className: string;
  /** Pages that list several currencies write dollars with their country ("CA$"). */
  sideBySide?: boolean;
}

export function PremiumBreakdown({ premium, caption, className, sideBySide = false }: PremiumBreakdownProps) {
  const money = (amount: number) => formatMoney(amount, premium.currency, { sideBySide });
  return (
    <table className={className}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">What it means</th>
          <th scope="col" className="numeric">
            Effect
          </th>
        </tr>
      </thead>
      <tbody>
        {premium.breakdown.map((line, index) => (
          <tr key={`${line.label}-${index}`}>
            <th scope="row">{line.label}</th>
            <td>{line.description}</td>
            <td className="numeric">{lineEffect(line, money)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            Total a month
          </th>
          <td className="numeric">{money(premium.monthly)}</td>
        </tr>
        <tr>
          <th scope="row" colSpan={2}>
            A year (12 payments)
          </th>
          <td className="numeric">{money(premium.annual)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
