"use client";

import { useForm, useWatch } from "react-hook-form";
import { saveGeographicDetails } from "@/app/(customer)/_actions/capture-details";
import {
  COUNTRIES,
  geographicDetailsSchema,
  isCountryCode,
  POSTCODE_LABEL_BY_COUNTRY,
  REGION_LABEL_BY_COUNTRY,
  REGIONS_BY_COUNTRY,
  type GeographicDetails,
} from "@/schemas/quote";
import { SelectField, TextField } from "../forms/fields";
import { schemaResolver } from "../forms/schema-resolver";
import { ConflictNotice, FormErrors, SubmitButton } from "./form-parts";
import type { CachedQuote } from "./quote-cache";
import { usePageSubmit } from "./use-page-submit";

interface GeographicFormValues {
  country: string;
  state: string;
  city: string;
  zipCode: string;
}

const FIELD_ORDER = ["country", "state", "city", "zipCode"] as const;

const toFormValues = (details: GeographicDetails | null): GeographicFormValues => ({
  country: details?.country ?? "",
  state: details?.state ?? "",
  city: details?.city ?? "",
  zipCode: details?.zipCode ?? "",
});

const resolver = schemaResolver<GeographicFormValues, typeof geographicDetailsSchema>(geographicDetailsSchema);

export function GeographicForm({ initialQuote, fromReview }: { initialQuote: CachedQuote; fromReview: boolean }) {
  const form = useForm<GeographicFormValues, unknown, GeographicDetails>({
    resolver,
    defaultValues: toFormValues(initialQuote.geographicDetails),
  });
  const { register, formState, setValue, control } = form;
  const { onSubmit, pending, conflicts, unplaced } = usePageSubmit(initialQuote, {
    form,
    slug: "geographic",
    page: "geographicDetails",
    save: saveGeographicDetails,
    savedMessage: "Where you live is saved",
    toFormValues,
    fieldOrder: FIELD_ORDER,
    fromReview,
  });
  const selected = useWatch({ control, name: "country" });
  const country = isCountryCode(selected) ? selected : null;
  const regionLabel = REGION_LABEL_BY_COUNTRY[country ?? "US"];
  const postcodeLabel = POSTCODE_LABEL_BY_COUNTRY[country ?? "US"];
  const regions = country ? REGIONS_BY_COUNTRY[country] : [];
  const errors = formState.errors;

  return (
    <form noValidate onSubmit={onSubmit} className="wizard-form">
      <ConflictNotice count={conflicts} />
      <FormErrors messages={unplaced} />
      <SelectField
        id="country"
        label="Country"
        hint="We cover families in the United States, Canada and the United Kingdom."
        error={errors.country?.message}
        placeholder="Select a country"
        options={COUNTRIES.map((c) => ({ value: c.code, label: c.name }))}
        autoComplete="country"
        registration={register("country", { onChange: () => setValue("state", "") })}
      />
      <SelectField
        id="state"
        label={regionLabel}
        error={errors.state?.message}
        placeholder={country ? `Select a ${regionLabel.toLowerCase()}` : "Select a country first"}
        options={regions.map((r) => ({ value: r.code, label: r.name }))}
        autoComplete="address-level1"
        registration={register("state")}
      />
      <TextField id="city" label="City" error={errors.city?.message} autoComplete="address-level2" className="field--wide" registration={register("city")} />
      <TextField id="zipCode" label={postcodeLabel} error={errors.zipCode?.message} autoComplete="postal-code" className="field--short" spellCheck={false} registration={register("zipCode")} />
      <SubmitButton pending={pending}>Continue</SubmitButton>
    </form>
  );
}
