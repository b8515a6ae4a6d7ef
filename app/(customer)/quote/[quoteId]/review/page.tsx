import type { Metadata } from "next";
import { PageHeading } from "@/components/wizard/page-heading";
import { PremiumSummary } from "@/components/wizard/premium-summary";
import { ReviewAnswers } from "@/components/wizard/review-answers";
import { stepBySlug } from "@/lib/customer/wizard-steps";
import { SubmitQuote } from "@/components/wizard/submit-quote";
import { WithdrawQuote } from "@/components/wizard/withdraw-quote";
import { ErasePersonalData } from "@/components/wizard/erase-personal-data";
import { premiumOffer } from "@/lib/customer/indicative-premium";
import { loadDraft } from "../load-draft";

const step = stepBySlug("review");

export const metadata: Metadata = { title: step.title };

/** Check your answers: every answer with its "Change" link, the premium with its breakdown, the validity date. */
export default async function ReviewPage({ params }: { params: Promise<{ quoteId: string }> }) {
  const { quote } = await loadDraft(params);
  const offer = premiumOffer(quote);
  return (
    <>
      <PageHeading caption="Step 4 of 4">{step.title}</PageHeading>
      <ReviewAnswers initialQuote={quote} />
      {offer ? (
        <PremiumSummary premium={offer.premium} validUntil={offer.validUntil} indicative={offer.indicative} />
      ) : (
        <section aria-labelledby="premium-title">
          <h2 id="premium-title">Your premium</h2>
          <p>We&apos;ll show your premium once you have told us where you live and who you want to cover.</p>
        </section>
      )}
      <SubmitQuote initialQuote={quote} />
      <WithdrawQuote initialQuote={quote} />
      <ErasePersonalData initialQuote={quote} />
    </>
  );
}
