import type { Metadata } from "next";
import { GeographicForm } from "@/components/wizard/geographic-form";
import { PageHeading } from "@/components/wizard/page-heading";
import { stepBySlug } from "@/lib/customer/wizard-steps";
import { cameFromReview, loadDraft } from "../load-draft";

const step = stepBySlug("geographic");

export const metadata: Metadata = { title: step.title };

export default async function GeographicPage({ params, searchParams }: { params: Promise<{ quoteId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { quote } = await loadDraft(params);
  return (
    <>
      <PageHeading caption="Step 1 of 4">{step.title}</PageHeading>
      <GeographicForm initialQuote={quote} fromReview={await cameFromReview(searchParams)} />
    </>
  );
}
