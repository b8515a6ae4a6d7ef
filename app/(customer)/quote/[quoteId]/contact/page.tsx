import type { Metadata } from "next";
import { ContactForm } from "@/components/wizard/contact-form";
import { PageHeading } from "@/components/wizard/page-heading";
import { stepBySlug } from "@/lib/customer/wizard-steps";
import { cameFromReview, loadDraft } from "../load-draft";

const step = stepBySlug("contact");

export const metadata: Metadata = { title: step.title };

export default async function ContactPage({ params, searchParams }: { params: Promise<{ quoteId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { quote } = await loadDraft(params);
  return (
    <>
      <PageHeading caption="Step 2 of 4">{step.title}</PageHeading>
      <ContactForm initialQuote={quote} fromReview={await cameFromReview(searchParams)} />
    </>
  );
}
