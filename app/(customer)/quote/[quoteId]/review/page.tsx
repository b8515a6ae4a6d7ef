import type { Metadata } from "next";
import { PageHeading } from "@/components/wizard/page-heading";
import { PremiumSummary } from "@/components/wizard/premium-summary";
import { ReviewAnswers } from "@/components/wizard/review-answers";
import { stepBySlug } from "@/lib/customer/wizard-steps";
import { SubmitQuote } from "@/components/wizard/submit-quote";
import { WithdrawQuote } from "@/components/wizard/withdraw-quote";
import { ErasePersonalData } from "@/components/wizard/erase-personal-data";
import { ERASE_WORDS, WITHDRAW_WORDS } from "@/lib/customer/confirmed-action-words";
import { premiumOffer } from "@/lib/customer/indicative-premium";
import { regionName } from "@/schemas/countries";
import { loadDraft } from "../load-draft";

const step = stepBySlug("review");

export const metadata: Metadata = { title: step.title };

/** Check your answers: every answer with its "Change" link, the premium with its breakdown, the validity date. */
export default async function ReviewPage({ params }: { params: Promise<{ quoteId: string }> }) {
  const { quote } = await loadDraft(params);
  const offer = premiumOffer(quote);
  const geo = quote.geographicDetails;
  const region = geo ? { country: geo.country, code: geo.state, name: regionName(geo.country, geo.state) ?? geo.state } : null;
  return (
    <>
      <PageHeading caption="Step 4 of 4">{step.title}</PageHeading>
      <ReviewAnswers initialQuote={quote} region={region} />
      {offer ? (
        <PremiumSummary premium={offer.premium} validUntil={offer.validUntil} indicative={offer.indicative} />
      ) : (
        <section aria-labelledby="premium-title">
          <h2 id="premium-title">Your premium</h2>
          <p>We&apos;ll show your premium once you have told us where you live and who you want to cover.</p>
        </section>
      )}
      <SubmitQuote initialQuote={quote} />
      <WithdrawQuote initialQuote={quote} words={WITHDRAW_WORDS} />
      <ErasePersonalData initialQuote={quote} words={ERASE_WORDS} />
    </>
  );
}
