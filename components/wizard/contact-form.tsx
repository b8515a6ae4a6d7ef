"use client";

import { useActionState } from "react";
import { saveContactDetailsForm } from "@/app/(customer)/_actions/capture-details";
import { NOTHING_POSTED, type PageFormState } from "@/lib/customer/page-form-state";
import { CONTACT_FIELD_ORDER, toContactFormValues, type ContactFormValues } from "@/lib/customer/wizard-form-values";
import { deferredComponent } from "../forms/deferred-component";
import { CONTACT_FORM_ID, ContactFields } from "./contact-fields";
import { scriptedContactForm } from "./form-scripts";
import type { PageFormProps } from "./page-form-props";
import { PlainPageForm } from "./plain-page-form";

const FIELD_NAMES = { email: { name: "email" }, phoneNumber: { name: "phoneNumber" } } as const;

function PlainContactForm({ initialQuote, fromReview, posted, postForm }: PageFormProps<ContactFormValues>) {
  const defaults = posted.values ?? toContactFormValues(initialQuote.contactDetails);
  return (
    <PlainPageForm formId={CONTACT_FORM_ID} posted={posted} postForm={postForm} version={initialQuote.version} fromReview={fromReview} fieldOrder={CONTACT_FIELD_ORDER}>
      {(postedError) => <ContactFields registration={FIELD_NAMES} error={postedError} defaults={defaults} />}
    </PlainPageForm>
  );
}

const DeferredContactForm = deferredComponent(scriptedContactForm, PlainContactForm);

/** The contact page's form; react-hook-form and the save's code load after the page, which posts the form until then. */
export function ContactForm({ initialQuote, fromReview }: Pick<PageFormProps<ContactFormValues>, "initialQuote" | "fromReview">) {
  const [posted, postForm] = useActionState<PageFormState<ContactFormValues>, FormData>(saveContactDetailsForm, NOTHING_POSTED);
  return <DeferredContactForm initialQuote={initialQuote} fromReview={fromReview} posted={posted} postForm={postForm} />;
}
