"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { saveContactDetails } from "@/app/(customer)/_actions/capture-details";
import { readContactForm } from "@/lib/customer/wizard-form-data";
import { CONTACT_FIELD_ORDER, toContactFormValues, type ContactFormValues } from "@/lib/customer/wizard-form-values";
import type { ContactDetails } from "@/schemas/quote";
import { schemaResolver } from "../forms/schema-resolver";
import { usePreloaded } from "../forms/use-preloaded";
import { useTypedSoFar } from "../forms/use-typed-so-far";
import { CONTACT_FORM_ID, ContactFields } from "./contact-fields";
import { ConflictNotice } from "./conflict-notice";
import { FormErrors } from "./form-errors";
import { SubmitButton } from "./submit-button";
import type { PageFormProps } from "./page-form-props";
import { SubmissionFields } from "./submission-fields";
import { usePageSubmit } from "./use-page-submit";

/** The browser's check of this page (zod/mini, the server's rules and messages), loaded after the page. */
const loadSchema = () => import("@/schemas/quote-pages").then((schemas) => schemas.contactDetailsSchema);
const resolver = schemaResolver<ContactFormValues, ContactDetails>(loadSchema);

/** The contact page's form with its script: react-hook-form's checks, then the optimistic save. */
export function ScriptedContactForm({ initialQuote, fromReview, posted, postForm }: PageFormProps<ContactFormValues>) {
  // Rendered into the inputs as the server rendered them; react-hook-form starts from what was typed since.
  const [defaults] = useState(() => posted.values ?? toContactFormValues(initialQuote.contactDetails));
  const typed = useTypedSoFar(CONTACT_FORM_ID, readContactForm);
  const form = useForm<ContactFormValues, unknown, ContactDetails>({ resolver, defaultValues: typed ?? defaults });
  usePreloaded(loadSchema);
  const { register, formState } = form;
  const { onSubmit, pending, conflicts, unplaced, postedError, submissionFields } = usePageSubmit(initialQuote, {
    form,
    slug: "contact",
    page: "contactDetails",
    save: saveContactDetails,
    savedMessage: "Your contact details are saved",
    toFormValues: toContactFormValues,
    fieldOrder: CONTACT_FIELD_ORDER,
    fromReview,
    posted,
  });
  const errors = formState.errors;
  const error = (name: keyof ContactFormValues) => errors[name]?.message ?? postedError(name);

  return (
    <form id={CONTACT_FORM_ID} noValidate action={postForm} onSubmit={onSubmit} className="wizard-form">
      <SubmissionFields {...submissionFields} />
      <ConflictNotice count={conflicts} />
      <FormErrors messages={unplaced} />
      <ContactFields registration={{ email: register("email"), phoneNumber: register("phoneNumber") }} error={error} defaults={defaults} />
      <SubmitButton pending={pending}>Continue</SubmitButton>
    </form>
  );
}
