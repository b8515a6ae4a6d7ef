"use client";

import { useActionState, useState } from "react";
import { useForm } from "react-hook-form";
import { saveContactDetails, saveContactDetailsForm } from "@/app/(customer)/_actions/capture-details";
import { NOTHING_POSTED, type PageFormState } from "@/lib/customer/page-form-state";
import { CONTACT_FIELD_ORDER, toContactFormValues, type ContactFormValues } from "@/lib/customer/wizard-form-values";
import type { ContactDetails } from "@/schemas/quote";
import { TextField } from "../forms/fields";
import { schemaResolver } from "../forms/schema-resolver";
import { usePreloaded } from "../forms/use-preloaded";
import { ConflictNotice, FormErrors, SubmitButton } from "./form-parts";
import type { CachedQuote } from "./quote-cache";
import { SubmissionFields } from "./submission-fields";
import { usePageSubmit } from "./use-page-submit";

/** The browser's check of this page (zod/mini, the server's rules and messages), loaded after the page. */
const loadSchema = () => import("@/schemas/quote-pages").then((schemas) => schemas.contactDetailsSchema);
const resolver = schemaResolver<ContactFormValues, ContactDetails>(loadSchema);

export function ContactForm({ initialQuote, fromReview }: { initialQuote: CachedQuote; fromReview: boolean }) {
  const [posted, postForm] = useActionState<PageFormState<ContactFormValues>, FormData>(saveContactDetailsForm, NOTHING_POSTED);
  // Rendered into the inputs too (react-hook-form fills them only once its script runs).
  const [defaults] = useState(() => posted.values ?? toContactFormValues(initialQuote.contactDetails));
  const form = useForm<ContactFormValues, unknown, ContactDetails>({ resolver, defaultValues: defaults });
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
    <form noValidate action={postForm} onSubmit={onSubmit} className="wizard-form">
      <SubmissionFields {...submissionFields} />
      <ConflictNotice count={conflicts} />
      <FormErrors messages={unplaced} />
      <TextField
        id="email"
        label="Email"
        hint="We'll send your quote and its application number here."
        type="email"
        autoComplete="email"
        spellCheck={false}
        className="field--wide"
        error={error("email")}
        defaultValue={defaults.email}
        registration={register("email")}
      />
      <TextField
        id="phoneNumber"
        label="Phone number"
        hint="Include the country code if you are outside the United States, like +44 20 7946 0958."
        type="tel"
        autoComplete="tel"
        className="field--medium"
        error={error("phoneNumber")}
        defaultValue={defaults.phoneNumber}
        registration={register("phoneNumber")}
      />
      <SubmitButton pending={pending}>Continue</SubmitButton>
    </form>
  );
}
