"use client";

import { useEffect, useRef, useState } from "react";
import { get, useFieldArray, useForm, type FieldError } from "react-hook-form";
import { saveFamilyDetails } from "@/app/(customer)/_actions/capture-details";
import { readFamilyForm } from "@/lib/customer/wizard-form-data";
import { FAMILY_FIELD_ORDER, familyDetailsInput, familyFieldPath, toFamilyFormValues, type FamilyFormValues } from "@/lib/customer/wizard-form-values";
import type { FamilyDetails } from "@/schemas/quote";
import { schemaResolver } from "../forms/schema-resolver";
import { useHydrated } from "../forms/use-hydrated";
import { usePreloaded } from "../forms/use-preloaded";
import { useTypedSoFar } from "../forms/use-typed-so-far";
import { FAMILY_FORM_ID, FamilyFields, type FamilyFieldName } from "./family-fields";
import { ConflictNotice } from "./conflict-notice";
import { FormErrors } from "./form-errors";
import { SubmitButton } from "./submit-button";
import type { PageFormProps } from "./page-form-props";
import { SubmissionFields } from "./submission-fields";
import { usePageSubmit } from "./use-page-submit";

/** The browser's check of this page (zod/mini, the server's rules and messages), loaded after the page. */
const loadSchema = () => import("@/schemas/quote-pages").then((schemas) => schemas.familyDetailsSchema);
const resolver = schemaResolver<FamilyFormValues, FamilyDetails>(loadSchema, { toInput: familyDetailsInput, toFieldPath: familyFieldPath });

/** The family page's form with its script: the children's list changed in place, react-hook-form's checks, then the optimistic save. */
export function ScriptedFamilyForm({ initialQuote, fromReview, posted, postForm }: PageFormProps<FamilyFormValues>) {
  // Rendered into the inputs as the server rendered them; react-hook-form starts from what was typed since.
  const [defaults] = useState(() => posted.values ?? toFamilyFormValues(initialQuote.familyDetails));
  const typed = useTypedSoFar(FAMILY_FORM_ID, readFamilyForm);
  const form = useForm<FamilyFormValues, unknown, FamilyDetails>({ resolver, defaultValues: typed ?? defaults });
  usePreloaded(loadSchema);
  const { register, formState, control, setFocus } = form;
  const { fields, append, remove } = useFieldArray({ control, name: "childrenNames" });
  const { onSubmit, pending, conflicts, unplaced, postedError, submissionFields } = usePageSubmit(initialQuote, {
    form,
    slug: "family",
    page: "familyDetails",
    save: saveFamilyDetails,
    savedMessage: "Your family details are saved",
    toFormValues: toFamilyFormValues,
    fieldOrder: FAMILY_FIELD_ORDER,
    toFieldPath: familyFieldPath,
    fromReview,
    posted,
    // A message about the list as a whole has no input of its own: focus its first child, so it is heard.
    onInvalid: (invalid) => {
      const onlyTheList = Object.keys(invalid).every((name) => name === "childrenNames") && !Array.isArray(invalid.childrenNames);
      if (onlyTheList && invalid.childrenNames?.root) setFocus("childrenNames.0.name");
    },
  });
  const hydrated = useHydrated();
  const errors = formState.errors;
  const addButton = useRef<HTMLButtonElement>(null);
  // After "Remove", focus moves to the child before (or the "Add child" button), never to the page's start.
  const focusAfterRemove = useRef<number | null>(null);
  useEffect(() => {
    const target = focusAfterRemove.current;
    if (target === null) return;
    focusAfterRemove.current = null;
    if (target >= 0 && target < fields.length) setFocus(`childrenNames.${target}.name`);
    else addButton.current?.focus();
  }, [fields, setFocus]);

  const error = (name: FamilyFieldName) => (get(errors, name) as FieldError | undefined)?.message ?? postedError(name);
  const listError = errors.childrenNames?.root?.message ?? errors.childrenNames?.message ?? postedError("childrenNames.root");

  return (
    <form id={FAMILY_FORM_ID} noValidate action={postForm} onSubmit={onSubmit} className="wizard-form">
      <SubmissionFields {...submissionFields} />
      <ConflictNotice count={conflicts} />
      <FormErrors messages={unplaced} />
      <FamilyFields
        registration={(name) => register(name)}
        error={error}
        listError={listError}
        defaults={defaults}
        rows={fields.map((field) => ({ key: field.id, name: field.name }))}
        scripted={hydrated}
        onAdd={() => append({ name: "" })}
        onRemove={(index) => {
          focusAfterRemove.current = index > 0 ? index - 1 : fields.length > 1 ? 0 : -1;
          remove(index);
        }}
        addButtonRef={addButton}
      />
      <SubmitButton pending={pending}>Continue</SubmitButton>
    </form>
  );
}
