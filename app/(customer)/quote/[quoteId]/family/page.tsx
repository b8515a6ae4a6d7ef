import type { Metadata } from "next";
import { FamilyForm } from "@/components/wizard/family-form";
import { PageHeading } from "@/components/wizard/page-heading";
import { stepBySlug } from "@/lib/customer/wizard-steps";
import { cameFromReview, loadDraft } from "../load-draft";

const step = stepBySlug("family");

export const metadata: Metadata = { title: step.title };

export default async function FamilyPage({ params, searchParams }: { params: Promise<{ quoteId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { quote } = await loadDraft(params);
  return (
    <>
      <PageHeading caption="Step 3 of 4">{step.title}</PageHeading>
      <FamilyForm initialQuote={quote} fromReview={await cameFromReview(searchParams)} />
    </>
  );
}
