"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import type { QuoteVersionResponse } from "@/lib/commands/quote-commands";
import { fieldErrorsFrom, type Result } from "@/lib/cqrs/app-error";
import { runCustomerCommand } from "@/lib/customer/customer-command";
import { rememberSavedVersion } from "@/lib/customer/cookies";
import { formSubmissionKey } from "@/lib/customer/form-submission-key";
import { NOTHING_POSTED, type PageFormState } from "@/lib/customer/page-form-state";
import { nextPath, quotePath, type AnswerPage, type StepSlug } from "@/lib/customer/wizard-steps";
import { readContactForm, readFamilyForm, readFamilyIntent, readGeographicForm, readSubmission, type FormSubmission } from "@/lib/customer/wizard-form-data";
import {
  familyDetailsInput,
  toContactFormValues,
  toFamilyFormValues,
  toGeographicFormValues,
  type ContactFormValues,
  type FamilyFormValues,
  type GeographicFormValues,
} from "@/lib/customer/wizard-form-values";
import { contactDetailsSchema, familyDetailsSchema, geographicDetailsSchema, MAX_DEPENDENTS } from "@/schemas/quote";

/** What each page's form sends: the details (checked again by the bus's zod schema), its key and its version. */
export interface SavePageInput {
  quoteId: string;
  details: unknown;
  expectedVersion?: number;
  idempotencyKey?: string;
}

const capture = (type: string) => (input: SavePageInput) =>
  runCustomerCommand<QuoteVersionResponse>(type, { quoteId: input?.quoteId, details: input?.details }, { expectedVersion: input?.expectedVersion, idempotencyKey: input?.idempotencyKey });

export async function saveGeographicDetails(input: SavePageInput): Promise<Result<QuoteVersionResponse>> {
  return capture("CaptureGeographicDetails")(input);
}

export async function saveContactDetails(input: SavePageInput): Promise<Result<QuoteVersionResponse>> {
  return capture("CaptureContactDetails")(input);
}

export async function saveFamilyDetails(input: SavePageInput): Promise<Result<QuoteVersionResponse>> {
  return capture("CaptureFamilyDetails")(input);
}

// The same pages posted without JavaScript (useActionState): FormData in, the next page or the form again out.

interface PageForm<Values, Details> {
  command: string;
  page: AnswerPage;
  slug: StepSlug;
  schema: z.core.$ZodType<Details>;
  toInput: (values: Values) => unknown;
  toFormValues: (details: Details | null) => Values;
}

async function savePageForm<Values, Details>(form: PageForm<Values, Details>, values: Values, submission: FormSubmission): Promise<PageFormState<Values>> {
  const { quoteId, expectedVersion, fromReview } = submission;
  const again = (state: Partial<PageFormState<Values>>): PageFormState<Values> => ({ ...NOTHING_POSTED, values, loadedVersion: expectedVersion ?? null, ...state });

  const parsed = z.safeParse(form.schema, form.toInput(values));
  if (!parsed.success) return again({ errors: fieldErrorsFrom(parsed.error.issues) });
  const details = parsed.data;
  const outcome = await runCustomerCommand<QuoteVersionResponse>(form.command, { quoteId, details }, { expectedVersion, idempotencyKey: formSubmissionKey(form.command, quoteId, expectedVersion, details) });
  if (!outcome.ok) {
    const { error } = outcome;
    if (error.kind === "precondition_failed") {
      return again({ values: form.toFormValues((error.latest[form.page] as Details | null) ?? null), conflict: true, loadedVersion: error.currentVersion });
    }
    if (error.kind === "domain" && (error.code === "QuoteNotDraft" || error.code === "QuoteCancelled")) redirect(quotePath(quoteId, "submitted"));
    return error.kind === "validation" ? again({ errors: error.errors }) : again({ refusal: error });
  }
  await rememberSavedVersion(quoteId, outcome.value.version);
  redirect(nextPath(quoteId, form.slug, fromReview));
}

const GEOGRAPHIC: PageForm<GeographicFormValues, z.output<typeof geographicDetailsSchema>> = {
  command: "CaptureGeographicDetails",
  page: "geographicDetails",
  slug: "geographic",
  schema: geographicDetailsSchema,
  toInput: (values) => values,
  toFormValues: toGeographicFormValues,
};

const CONTACT: PageForm<ContactFormValues, z.output<typeof contactDetailsSchema>> = {
  command: "CaptureContactDetails",
  page: "contactDetails",
  slug: "contact",
  schema: contactDetailsSchema,
  toInput: (values) => values,
  toFormValues: toContactFormValues,
};

const FAMILY: PageForm<FamilyFormValues, z.output<typeof familyDetailsSchema>> = {
  command: "CaptureFamilyDetails",
  page: "familyDetails",
  slug: "family",
  schema: familyDetailsSchema,
  toInput: familyDetailsInput,
  toFormValues: toFamilyFormValues,
};

export async function saveGeographicDetailsForm(_previous: PageFormState<GeographicFormValues>, formData: FormData): Promise<PageFormState<GeographicFormValues>> {
  return savePageForm(GEOGRAPHIC, readGeographicForm(formData), readSubmission(formData));
}

export async function saveContactDetailsForm(_previous: PageFormState<ContactFormValues>, formData: FormData): Promise<PageFormState<ContactFormValues>> {
  return savePageForm(CONTACT, readContactForm(formData), readSubmission(formData));
}

/** "Add child" and "Remove child N" post the form too (without JavaScript): the form comes back changed, unsaved. */
export async function saveFamilyDetailsForm(_previous: PageFormState<FamilyFormValues>, formData: FormData): Promise<PageFormState<FamilyFormValues>> {
  const values = readFamilyForm(formData);
  const submission = readSubmission(formData);
  const intent = readFamilyIntent(formData);
  if (intent.kind === "save") return savePageForm(FAMILY, values, submission);
  const childrenNames =
    intent.kind === "remove-child"
      ? values.childrenNames.filter((_child, index) => index !== intent.index)
      : values.childrenNames.length < MAX_DEPENDENTS
        ? [...values.childrenNames, { name: "" }]
        : values.childrenNames;
  return { ...NOTHING_POSTED, values: { ...values, childrenNames }, loadedVersion: submission.expectedVersion ?? null };
}
