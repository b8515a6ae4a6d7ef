"use client";

import { useForm } from "react-hook-form";
import { saveContactDetails } from "@/app/(customer)/_actions/capture-details";
import { contactDetailsSchema, type ContactDetails } from "@/schemas/quote";
import { TextField } from "../forms/fields";
import { schemaResolver } from "../forms/schema-resolver";
import { ConflictNotice, FormErrors, SubmitButton } from "./form-parts";
import type { CachedQuote } from "./quote-cache";
import { usePageSubmit } from "./use-page-submit";

interface ContactFormValues {
  email: string;
  phoneNumber: string;
}

const FIELD_ORDER = ["email", "phoneNumber"] as const;

const toFormValues = (details: ContactDetails | null): ContactFormValues => ({ email: details?.email ?? "", phoneNumber: details?.phoneNumber ?? "" });

const resolver = schemaResolver<ContactFormValues, typeof contactDetailsSchema>(contactDetailsSchema);

export function ContactForm({ initialQuote, fromReview }: { initialQuote: CachedQuote; fromReview: boolean }) {
  const form = useForm<ContactFormValues, unknown, ContactDetails>({ resolver, defaultValues: toFormValues(initialQuote.contactDetails) });
  const { register, formState } = form;
  const { onSubmit, pending, conflicts, unplaced } = usePageSubmit(initialQuote, {
    form,
    slug: "contact",
    page: "contactDetails",
    save: saveContactDetails,
    savedMessage: "Your contact details are saved",
    toFormValues,
    fieldOrder: FIELD_ORDER,
    fromReview,
  });
  const errors = formState.errors;

  return (
    <form noValidate onSubmit={onSubmit} className="wizard-form">
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
        error={errors.email?.message}
        registration={register("email")}
      />
      <TextField
        id="phoneNumber"
        label="Phone number"
        hint="Include the country code if you are outside the United States, like +44 20 7946 0958."
        type="tel"
        autoComplete="tel"
        className="field--medium"
        error={errors.phoneNumber?.message}
        registration={register("phoneNumber")}
      />
      <SubmitButton pending={pending}>Continue</SubmitButton>
    </form>
  );
}
