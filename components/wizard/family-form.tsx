"use client";

import { useEffect, useRef } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import { saveFamilyDetails } from "@/app/(customer)/_actions/capture-details";
import { familyDetailsSchema, MAX_DEPENDENTS, type FamilyDetails } from "@/schemas/quote";
import { ErrorMessage, TextField } from "../forms/fields";
import { schemaResolver } from "../forms/schema-resolver";
import { ConflictNotice, FormErrors, SubmitButton } from "./form-parts";
import type { CachedQuote } from "./quote-cache";
import { usePageSubmit } from "./use-page-submit";

/** react-hook-form's field arrays hold objects, so each child's name is `{ name }` in the form. */
interface FamilyFormValues {
  numberOfDependents: string;
  spouseName: string;
  childrenNames: Array<{ name: string }>;
}

const FIELD_ORDER = ["numberOfDependents", "spouseName", "childrenNames"] as const;

/** Whole or decimal numbers become numbers (the schema says what is wrong with them); anything else is NaN. */
function parseCount(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return /^[-+]?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

const toInput = (values: FamilyFormValues) => ({
  numberOfDependents: parseCount(values.numberOfDependents),
  spouseName: values.spouseName,
  childrenNames: values.childrenNames.map((child) => child.name),
});

/** "childrenNames.1" → "childrenNames.1.name"; the list's own message goes to "childrenNames.root". */
function toFieldPath(path: string): string {
  if (path === "childrenNames") return "childrenNames.root";
  if (/^childrenNames\.\d+$/.test(path)) return `${path}.name`;
  return path;
}

const toFormValues = (details: FamilyDetails | null): FamilyFormValues => ({
  numberOfDependents: details ? String(details.numberOfDependents) : "",
  spouseName: details?.spouseName ?? "",
  childrenNames: (details?.childrenNames ?? []).map((name) => ({ name })),
});

const resolver = schemaResolver<FamilyFormValues, typeof familyDetailsSchema>(familyDetailsSchema, { toInput, toFieldPath });

export function FamilyForm({ initialQuote, fromReview }: { initialQuote: CachedQuote; fromReview: boolean }) {
  const form = useForm<FamilyFormValues, unknown, FamilyDetails>({ resolver, defaultValues: toFormValues(initialQuote.familyDetails) });
  const { register, formState, control, setFocus } = form;
  const { fields, append, remove } = useFieldArray({ control, name: "childrenNames" });
  const { onSubmit, pending, conflicts, unplaced } = usePageSubmit(initialQuote, {
    form,
    slug: "family",
    page: "familyDetails",
    save: saveFamilyDetails,
    savedMessage: "Your family details are saved",
    toFormValues,
    fieldOrder: FIELD_ORDER,
    toFieldPath,
    fromReview,
    // A message about the list as a whole has no input of its own: focus its first child, so it is heard.
    onInvalid: (invalid) => {
      const onlyTheList = Object.keys(invalid).every((name) => name === "childrenNames") && !Array.isArray(invalid.childrenNames);
      if (onlyTheList && invalid.childrenNames?.root) setFocus("childrenNames.0.name");
    },
  });
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

  const listError = errors.childrenNames?.root?.message ?? errors.childrenNames?.message;

  return (
    <form noValidate onSubmit={onSubmit} className="wizard-form">
      <ConflictNotice count={conflicts} />
      <FormErrors messages={unplaced} />
      <TextField
        id="numberOfDependents"
        label="Number of dependents"
        hint={`Everyone who depends on you and who you want to cover, children included (up to ${MAX_DEPENDENTS}). Enter 0 if none.`}
        inputMode="numeric"
        autoComplete="off"
        className="field--short"
        error={errors.numberOfDependents?.message}
        registration={register("numberOfDependents")}
      />
      <TextField
        id="spouseName"
        label="Spouse name"
        hint="Leave this empty if you are not covering a spouse or partner."
        autoComplete="off"
        className="field--wide"
        error={errors.spouseName?.message}
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
            const error = errors.childrenNames?.[index]?.name?.message;
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
                  registration={register(`childrenNames.${index}.name` as const)}
                />
                <button
                  type="button"
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
        <button ref={addButton} type="button" className="button button--secondary" onClick={() => append({ name: "" })} disabled={fields.length >= MAX_DEPENDENTS}>
          Add child
        </button>
      </fieldset>
      <SubmitButton pending={pending}>Continue</SubmitButton>
    </form>
  );
}
