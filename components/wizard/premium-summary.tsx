/** The premium with its breakdown and validity date (rendered on the server; no client code). */
import type { Premium } from "@/lib/domain/quote/premium";
import { formatDate, formatLineValue, formatMoney } from "../format";

export function PremiumSummary({ premium, validUntil, indicative, headingLevel = 2 }: { premium: Premium; validUntil: string; indicative: boolean; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className="premium" aria-labelledby="premium-title">
      <Heading id="premium-title">Your premium</Heading>
      <p className="premium-total">
        <strong>{formatMoney(premium.monthly, premium.currency)}</strong> a month
        <span className="premium-annual"> ({formatMoney(premium.annual, premium.currency)} a year)</span>
      </p>
      <table className="premium-breakdown">
        <caption>How we worked out your premium</caption>
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
              <td className="numeric">{formatLineValue(line, premium.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              Total a month
            </th>
            <td className="numeric">{formatMoney(premium.monthly, premium.currency)}</td>
          </tr>
        </tfoot>
      </table>
      <p className="premium-validity">
        {indicative ? (
          <>
            If you submit today, this price is valid until <strong>{formatDate(validUntil)}</strong>.
          </>
        ) : (
          <>
            This price is valid until <strong>{formatDate(validUntil)}</strong>.
          </>
        )}
      </p>
    </section>
  );
}
