import { notFound } from "next/navigation";
import { ResumeQuoteForm } from "@/components/wizard/resume-quote-form";
import { quoteIdSchema } from "@/schemas/quote-commands";

export const metadata = { title: "Continue your quote", referrer: "no-referrer" };

/** Where a resume link lands. Opening it changes nothing: only the customer's confirmation (a POST) does. */
export default async function ResumeQuotePage({ params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  if (!quoteIdSchema.safeParse(quoteId).success) notFound();
  return (
    <section className="resume-confirm">
      <h1>Continue your quote</h1>
      <p>
        You opened a link to continue a family cover quote on this device. Continue only if the link is yours: anyone
        with it can see and change the quote.
      </p>
      <ResumeQuoteForm quoteId={quoteId} />
    </section>
  );
}
