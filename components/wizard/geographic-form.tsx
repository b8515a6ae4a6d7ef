"use client";

import { useActionState } from "react";
import { saveGeographicDetailsForm } from "@/app/(customer)/_actions/capture-details";
import { NOTHING_POSTED, type PageFormState } from "@/lib/customer/page-form-state";
import { GEOGRAPHIC_FIELD_ORDER, toGeographicFormValues, type GeographicFormValues } from "@/lib/customer/wizard-form-values";
import { isCountryCode } from "@/schemas/countries";
import { deferredComponent } from "../forms/deferred-component";
import { GEOGRAPHIC_FORM_ID, GeographicFields } from "./geographic-fields";
import { scriptedGeographicForm } from "./form-scripts";
import type { PageFormProps } from "./page-form-props";
import { PlainPageForm } from "./plain-page-form";

const FIELD_NAMES = { country: { name: "country" }, state: { name: "state" }, city: { name: "city" }, zipCode: { name: "zipCode" } } as const;

function PlainGeographicForm({ initialQuote, fromReview, posted, postForm }: PageFormProps<GeographicFormValues>) {
  const defaults = posted.values ?? toGeographicFormValues(initialQuote.geographicDetails);
  return (
    <PlainPageForm formId={GEOGRAPHIC_FORM_ID} posted={posted} postForm={postForm} version={initialQuote.version} fromReview={fromReview} fieldOrder={GEOGRAPHIC_FIELD_ORDER}>
      {(postedError) => (
        <GeographicFields
          registration={FIELD_NAMES}
          error={postedError}
          defaults={defaults}
          country={isCountryCode(defaults.country) ? defaults.country : null}
          scripted={false}
        />
      )}
    </PlainPageForm>
  );
}

const DeferredGeographicForm = deferredComponent(scriptedGeographicForm, PlainGeographicForm);

/** The location page's form; react-hook-form and the save's code load after the page, which posts the form until then. */
export function GeographicForm({ initialQuote, fromReview }: Pick<PageFormProps<GeographicFormValues>, "initialQuote" | "fromReview">) {
  const [posted, postForm] = useActionState<PageFormState<GeographicFormValues>, FormData>(saveGeographicDetailsForm, NOTHING_POSTED);
  return <DeferredGeographicForm initialQuote={initialQuote} fromReview={fromReview} posted={posted} postForm={postForm} />;
}
