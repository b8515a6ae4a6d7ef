/** The premium with its breakdown and validity date (rendered on the server; no client code). */
import type { Premium } from "@/lib/domain/quote/premium";
import { formatMoney } from "@/lib/domain/quote/money";
import { formatDate } from "../format";
import { PremiumBreakdown } from "../premium-breakdown";

export function PremiumSummary({ premium, validUntil, indicative, headingLevel = 2 }: { premium: Premium; validUntil: string; indicative: boolean; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className="premium" aria-labelledby="premium-title">
      <Heading id="premium-title">Your premium</Heading>
      <p className="premium-total">
        <strong>{formatMoney(premium.monthly, premium.currency)}</strong> a month
        <span className="premium-annual"> ({formatMoney(premium.annual, premium.currency)} a year)</span>
      </p>
      <PremiumBreakdown premium={premium} caption="How we worked out your premium" className="premium-breakdown" />
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
