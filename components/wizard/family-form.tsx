"use client";

import { useActionState } from "react";
import { saveFamilyDetailsForm } from "@/app/(customer)/_actions/capture-details";
import { NOTHING_POSTED, type PageFormState } from "@/lib/customer/page-form-state";
import { FAMILY_FIELD_ORDER, familyFieldPath, toFamilyFormValues, type FamilyFormValues } from "@/lib/customer/wizard-form-values";
import { deferredComponent } from "../forms/deferred-component";
import { FAMILY_FORM_ID, FamilyFields } from "./family-fields";
import { scriptedFamilyForm } from "./form-scripts";
import type { PageFormProps } from "./page-form-props";
import { PlainPageForm } from "./plain-page-form";

function PlainFamilyForm({ initialQuote, fromReview, posted, postForm }: PageFormProps<FamilyFormValues>) {
  const defaults = posted.values ?? toFamilyFormValues(initialQuote.familyDetails);
  return (
    <PlainPageForm
      formId={FAMILY_FORM_ID}
      posted={posted}
      postForm={postForm}
      version={initialQuote.version}
      fromReview={fromReview}
      fieldOrder={FAMILY_FIELD_ORDER}
      toFieldPath={familyFieldPath}
    >
      {(postedError) => (
        <FamilyFields
          registration={(name) => ({ name })}
          error={postedError}
          listError={postedError("childrenNames.root")}
          defaults={defaults}
          rows={defaults.childrenNames.map((child, index) => ({ key: String(index), name: child.name }))}
          scripted={false}
        />
      )}
    </PlainPageForm>
  );
}

const DeferredFamilyForm = deferredComponent(scriptedFamilyForm, PlainFamilyForm);

/** The family page's form; react-hook-form and the save's code load after the page, which posts the form until then. */
export function FamilyForm({ initialQuote, fromReview }: Pick<PageFormProps<FamilyFormValues>, "initialQuote" | "fromReview">) {
  const [posted, postForm] = useActionState<PageFormState<FamilyFormValues>, FormData>(saveFamilyDetailsForm, NOTHING_POSTED);
  return <DeferredFamilyForm initialQuote={initialQuote} fromReview={fromReview} posted={posted} postForm={postForm} />;
}
