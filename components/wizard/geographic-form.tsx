"use client";

import { useActionState, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { saveGeographicDetails, saveGeographicDetailsForm } from "@/app/(customer)/_actions/capture-details";
import { NOTHING_POSTED, type PageFormState } from "@/lib/customer/page-form-state";
import { GEOGRAPHIC_FIELD_ORDER, toGeographicFormValues, type GeographicFormValues } from "@/lib/customer/wizard-form-values";
import { COUNTRIES, isCountryCode, POSTCODE_LABEL_BY_COUNTRY, REGION_LABEL_BY_COUNTRY, REGIONS_BY_COUNTRY } from "@/schemas/countries";
import type { GeographicDetails } from "@/schemas/quote";
import { SelectField, TextField } from "../forms/fields";
import { schemaResolver } from "../forms/schema-resolver";
import { usePreloaded } from "../forms/use-preloaded";
import { useHydrated } from "../forms/use-hydrated";
import { ConflictNotice, FormErrors, SubmitButton } from "./form-parts";
import type { CachedQuote } from "./quote-cache";
import { SubmissionFields } from "./submission-fields";
import { usePageSubmit } from "./use-page-submit";

/** The browser's check of this page (zod/mini, the server's rules and messages), loaded after the page. */
const loadSchema = () => import("@/schemas/quote-pages").then((schemas) => schemas.geographicDetailsSchema);
const resolver = schemaResolver<GeographicFormValues, GeographicDetails>(loadSchema);

/** Before a country is chosen and without JavaScript to narrow the list, every country's regions, under its name. */
const EVERY_REGION = COUNTRIES.map((c) => ({ label: c.name, options: REGIONS_BY_COUNTRY[c.code].map((r) => ({ value: r.code, label: r.name })) }));

export function GeographicForm({ initialQuote, fromReview }: { initialQuote: CachedQuote; fromReview: boolean }) {
  const [posted, postForm] = useActionState<PageFormState<GeographicFormValues>, FormData>(saveGeographicDetailsForm, NOTHING_POSTED);
  // Rendered into the inputs too (react-hook-form fills them only once its script runs).
  const [defaults] = useState(() => posted.values ?? toGeographicFormValues(initialQuote.geographicDetails));
  const form = useForm<GeographicFormValues, unknown, GeographicDetails>({ resolver, defaultValues: defaults });
  usePreloaded(loadSchema);
  const { register, formState, setValue, control } = form;
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
  const country = isCountryCode(selected) ? selected : null;
  const everyRegion = !hydrated && !country;
  const regionLabel = everyRegion ? "State, province or nation" : REGION_LABEL_BY_COUNTRY[country ?? "US"];
  const postcodeLabel = everyRegion ? "ZIP code, postal code or postcode" : POSTCODE_LABEL_BY_COUNTRY[country ?? "US"];
  const regions = country ? REGIONS_BY_COUNTRY[country] : [];
  const errors = formState.errors;
  const error = (name: keyof GeographicFormValues) => errors[name]?.message ?? postedError(name);

  return (
    <form noValidate action={postForm} onSubmit={onSubmit} className="wizard-form">
      <SubmissionFields {...submissionFields} />
      <ConflictNotice count={conflicts} />
      <FormErrors messages={unplaced} />
      <SelectField
        id="country"
        label="Country"
        hint="We cover families in the United States, Canada and the United Kingdom."
        error={error("country")}
        placeholder="Select a country"
        options={COUNTRIES.map((c) => ({ value: c.code, label: c.name }))}
        autoComplete="country"
        defaultValue={defaults.country}
        registration={register("country", { onChange: () => setValue("state", "") })}
      />
      <SelectField
        id="state"
        label={regionLabel}
        error={error("state")}
        placeholder={country ? `Select a ${regionLabel.toLowerCase()}` : everyRegion ? "Select a state, province or nation" : "Select a country first"}
        options={regions.map((r) => ({ value: r.code, label: r.name }))}
        groups={everyRegion ? EVERY_REGION : []}
        autoComplete="address-level1"
        defaultValue={defaults.state}
        registration={register("state")}
      />
      <TextField id="city" label="City" error={error("city")} autoComplete="address-level2" className="field--wide" defaultValue={defaults.city} registration={register("city")} />
      <TextField
        id="zipCode"
        label={postcodeLabel}
        error={error("zipCode")}
        autoComplete="postal-code"
        className="field--short"
        spellCheck={false}
        defaultValue={defaults.zipCode}
        registration={register("zipCode")}
      />
      <SubmitButton pending={pending}>Continue</SubmitButton>
    </form>
  );
}
