/**
 * A wizard page's form as the browser posts it without JavaScript (FormData): the answers, as the same form values
 * react-hook-form would hold, and the hidden fields that say which quote, which version and where to go next.
 */
import { ADD_CHILD_INTENT, FAMILY_INTENT_FIELD, REMOVE_CHILD_INTENT, SUBMISSION_FIELDS } from "./wizard-form-names";
import type { ContactFormValues, FamilyFormValues, GeographicFormValues } from "./wizard-form-values";

export interface FormSubmission {
  quoteId: string;
  /** The version the form was loaded at (If-Match); undefined when missing or not a whole number. */
  expectedVersion: number | undefined;
  fromReview: boolean;
}

/** A text field's value; a file or a missing field is "". */
export function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

export function readSubmission(formData: FormData): FormSubmission {
  const version = text(formData, SUBMISSION_FIELDS.expectedVersion);
  return {
    quoteId: text(formData, SUBMISSION_FIELDS.quoteId),
    expectedVersion: /^\d{1,9}$/.test(version) ? Number(version) : undefined,
    fromReview: text(formData, SUBMISSION_FIELDS.fromReview) === "true",
  };
}

export const readGeographicForm = (formData: FormData): GeographicFormValues => ({
  country: text(formData, "country"),
  state: text(formData, "state"),
  city: text(formData, "city"),
  zipCode: text(formData, "zipCode"),
});

export const readContactForm = (formData: FormData): ContactFormValues => ({ email: text(formData, "email"), phoneNumber: text(formData, "phoneNumber") });

/** Children arrive as "childrenNames.<index>.name" (react-hook-form's names), in index order. */
export function readFamilyForm(formData: FormData): FamilyFormValues {
  const children: Array<[number, string]> = [];
  for (const [name, value] of formData.entries()) {
    const index = name.match(/^childrenNames\.(\d{1,2})\.name$/)?.[1];
    if (index !== undefined && typeof value === "string") children.push([Number(index), value]);
  }
  children.sort(([a], [b]) => a - b);
  return {
    numberOfDependents: text(formData, "numberOfDependents"),
    spouseName: text(formData, "spouseName"),
    childrenNames: children.map(([, name]) => ({ name })),
  };
}

export type FamilyIntent = { kind: "save" } | { kind: "add-child" } | { kind: "remove-child"; index: number };

export function readFamilyIntent(formData: FormData): FamilyIntent {
  const intent = text(formData, FAMILY_INTENT_FIELD);
  if (intent === ADD_CHILD_INTENT) return { kind: "add-child" };
  const index = intent.startsWith(REMOVE_CHILD_INTENT) ? Number(intent.slice(REMOVE_CHILD_INTENT.length)) : Number.NaN;
  return Number.isInteger(index) && index >= 0 ? { kind: "remove-child", index } : { kind: "save" };
}
