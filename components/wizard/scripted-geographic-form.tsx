"use client";

import { useLayoutEffect, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { saveGeographicDetails } from "@/app/(customer)/_actions/capture-details";
import { readGeographicForm } from "@/lib/customer/wizard-form-data";
import { GEOGRAPHIC_FIELD_ORDER, toGeographicFormValues, type GeographicFormValues } from "@/lib/customer/wizard-form-values";
import { isCountryCode } from "@/schemas/countries";
import type { GeographicDetails } from "@/schemas/quote";
import { schemaResolver } from "../forms/schema-resolver";
import { useHydrated } from "../forms/use-hydrated";
import { usePreloaded } from "../forms/use-preloaded";
import { useTypedSoFar } from "../forms/use-typed-so-far";
import { ConflictNotice } from "./conflict-notice";
import { FormErrors } from "./form-errors";
import { SubmitButton } from "./submit-button";
import { GEOGRAPHIC_FORM_ID, GeographicFields } from "./geographic-fields";
import type { PageFormProps } from "./page-form-props";
import { SubmissionFields } from "./submission-fields";
import { usePageSubmit } from "./use-page-submit";

/** The browser's check of this page (zod/mini, the server's rules and messages), loaded after the page. */
const loadSchema = () => import("@/schemas/quote-pages").then((schemas) => schemas.geographicDetailsSchema);
const resolver = schemaResolver<GeographicFormValues, GeographicDetails>(loadSchema);

const countryOf = (value: string) => (isCountryCode(value) ? value : null);

/** The location page's form with its script: react-hook-form's checks, then the optimistic save. */
export function ScriptedGeographicForm({ initialQuote, fromReview, posted, postForm }: PageFormProps<GeographicFormValues>) {
  // Rendered into the inputs as the server rendered them; react-hook-form starts from what was typed since.
  const [defaults] = useState(() => posted.values ?? toGeographicFormValues(initialQuote.geographicDetails));
  const typed = useTypedSoFar(GEOGRAPHIC_FORM_ID, readGeographicForm);
  const form = useForm<GeographicFormValues, unknown, GeographicDetails>({ resolver, defaultValues: typed ?? defaults });
  usePreloaded(loadSchema);
  const { register, formState, setValue, getValues, control } = form;
  const { onSubmit, pending, conflicts, unplaced, postedError, submissionFields } = usePageSubmit(initialQuote, {
    form,
    slug: "geographic",
    page: "geographicDetails",
    save: saveGeographicDetails,
    savedMessage: "Where you live is saved",
    toFormValues: toGeographicFormValues,
    fieldOrder: GEOGRAPHIC_FIELD_ORDER,
    fromReview,
    posted,
  });
  const hydrated = useHydrated();
  const selected = useWatch({ control, name: "country" });
  // While React hydrates the server's HTML, the markup must be the server's: the country it rendered.
  const country = countryOf(hydrated ? selected : defaults.country);
  // The first render with the script narrows the regions to the chosen country: a region chosen before, from every
  // country's list, was an option this render replaced, and the browser dropped the choice with it.
  useLayoutEffect(() => {
    if (hydrated) setValue("state", getValues("state"));
  }, [hydrated, setValue, getValues]);
  const errors = formState.errors;
  const error = (name: keyof GeographicFormValues) => errors[name]?.message ?? postedError(name);
  const registration = {
    country: register("country", { onChange: () => setValue("state", "") }),
    state: register("state"),
    city: register("city"),
    zipCode: register("zipCode"),
  };

  return (
    <form id={GEOGRAPHIC_FORM_ID} noValidate action={postForm} onSubmit={onSubmit} className="wizard-form">
      <SubmissionFields {...submissionFields} />
      <ConflictNotice count={conflicts} />
      <FormErrors messages={unplaced} />
      <GeographicFields registration={registration} error={error} defaults={defaults} country={country} scripted={hydrated} />
      <SubmitButton pending={pending}>Continue</SubmitButton>
    </form>
  );
}
