"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import { saveFamilyDetails, saveFamilyDetailsForm } from "@/app/(customer)/_actions/capture-details";
import { NOTHING_POSTED, type PageFormState } from "@/lib/customer/page-form-state";
import { ADD_CHILD_INTENT, FAMILY_INTENT_FIELD, REMOVE_CHILD_INTENT } from "@/lib/customer/wizard-form-data";
import { FAMILY_FIELD_ORDER, familyDetailsInput, familyFieldPath, toFamilyFormValues, type FamilyFormValues } from "@/lib/customer/wizard-form-values";
import type { FamilyDetails } from "@/schemas/quote";
import { MAX_DEPENDENTS } from "@/schemas/quote-limits";
import { ErrorMessage, TextField } from "../forms/fields";
import { schemaResolver } from "../forms/schema-resolver";
import { usePreloaded } from "../forms/use-preloaded";
import { useHydrated } from "../forms/use-hydrated";
import { ConflictNotice, FormErrors, SubmitButton } from "./form-parts";
import type { CachedQuote } from "./quote-cache";
import { SubmissionFields } from "./submission-fields";
import { usePageSubmit } from "./use-page-submit";

/** The browser's check of this page (zod/mini, the server's rules and messages), loaded after the page. */
const loadSchema = () => import("@/schemas/quote-pages").then((schemas) => schemas.familyDetailsSchema);
const resolver = schemaResolver<FamilyFormValues, FamilyDetails>(loadSchema, { toInput: familyDetailsInput, toFieldPath: familyFieldPath });

/**
 * Until the script runs, "Add child" and "Remove" post the form (the server sends it back with the row added or
 * taken away); afterwards they change the list in place. `intent` says which button posted.
 */
function listButton(hydrated: boolean, intent: string) {
  return hydrated ? { type: "button" as const } : { type: "submit" as const, name: FAMILY_INTENT_FIELD, value: intent };
}

export function FamilyForm({ initialQuote, fromReview }: { initialQuote: CachedQuote; fromReview: boolean }) {
  const [posted, postForm] = useActionState<PageFormState<FamilyFormValues>, FormData>(saveFamilyDetailsForm, NOTHING_POSTED);
  // Rendered into the inputs too (react-hook-form fills them only once its script runs).
  const [defaults] = useState(() => posted.values ?? toFamilyFormValues(initialQuote.familyDetails));
  const form = useForm<FamilyFormValues, unknown, FamilyDetails>({ resolver, defaultValues: defaults });
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

  const listError = errors.childrenNames?.root?.message ?? errors.childrenNames?.message ?? postedError("childrenNames.root");

  return (
    <form noValidate action={postForm} onSubmit={onSubmit} className="wizard-form">
      {/* Enter in a field "clicks" the form's first submit button: without the script, that must be Continue. */}
      {hydrated ? null : (
        <button type="submit" className="visually-hidden" tabIndex={-1} aria-hidden="true">
          Continue
        </button>
      )}
      <SubmissionFields {...submissionFields} />
      <ConflictNotice count={conflicts} />
      <FormErrors messages={unplaced} />
      <TextField
        id="numberOfDependents"
        label="Number of dependents"
        hint={`Everyone who depends on you and who you want to cover, children included (up to ${MAX_DEPENDENTS}). Enter 0 if none.`}
        inputMode="numeric"
        autoComplete="off"
        className="field--short"
        error={errors.numberOfDependents?.message ?? postedError("numberOfDependents")}
        defaultValue={defaults.numberOfDependents}
        registration={register("numberOfDependents")}
      />
      <TextField
        id="spouseName"
        label="Spouse name"
        hint="Leave this empty if you are not covering a spouse or partner."
        autoComplete="off"
        className="field--wide"
        error={errors.spouseName?.message ?? postedError("spouseName")}
        defaultValue={defaults.spouseName}
        registration={register("spouseName")}
      />
      <fieldset className={listError ? "fieldset field--error" : "fieldset"} aria-describedby={["children-hint", listError ? "children-error" : ""].filter(Boolean).join(" ")}>
        <legend className="fieldset-legend">Children&apos;s names</legend>
        <p id="children-hint" className="field-hint">
          Add one name for each child you want to cover.
        </p>
        {listError ? <ErrorMessage id="children-error">{listError}</ErrorMessage> : null}
        <div>
          {fields.map((field, index) => {
            const error = errors.childrenNames?.[index]?.name?.message ?? postedError(`childrenNames.${index}.name`);
            return (
              <div key={field.id} className="child-row">
                <TextField
                  id={`child-${index}`}
                  label={
                    <>
                      <span className="visually-hidden">Children&apos;s names: </span>Child {index + 1}
                    </>
                  }
                  autoComplete="off"
                  className="field--wide"
                  error={error}
                  defaultValue={field.name}
                  registration={register(`childrenNames.${index}.name` as const)}
                />
                <button
                  {...listButton(hydrated, `${REMOVE_CHILD_INTENT}${index}`)}
                  className="button button--secondary button--small"
                  onClick={() => {
                    focusAfterRemove.current = index > 0 ? index - 1 : fields.length > 1 ? 0 : -1;
                    remove(index);
                  }}
                >
                  Remove<span className="visually-hidden"> child {index + 1}</span>
                </button>
              </div>
            );
          })}
        </div>
        <button ref={addButton} {...listButton(hydrated, ADD_CHILD_INTENT)} className="button button--secondary" onClick={() => append({ name: "" })} disabled={fields.length >= MAX_DEPENDENTS}>
          Add child
        </button>
      </fieldset>
      <SubmitButton pending={pending}>Continue</SubmitButton>
    </form>
  );
}
