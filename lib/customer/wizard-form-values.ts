/**
 * The wizard pages' form values: what the inputs hold (text, before the schema parses it), as react-hook-form keeps
 * them in the browser and as a form posted without JavaScript arrives on the server. Shared by both, so the two
 * paths turn the same inputs into the same details.
 */
import type { ContactDetails, FamilyDetails, GeographicDetails } from "@/schemas/quote";

export interface GeographicFormValues {
  country: string;
  state: string;
  city: string;
  zipCode: string;
}

export interface ContactFormValues {
  email: string;
  phoneNumber: string;
}

/** react-hook-form's field arrays hold objects, so each child's name is `{ name }` in the form. */
export interface FamilyFormValues {
  numberOfDependents: string;
  spouseName: string;
  childrenNames: Array<{ name: string }>;
}

export const GEOGRAPHIC_FIELD_ORDER = ["country", "state", "city", "zipCode"] as const;
export const CONTACT_FIELD_ORDER = ["email", "phoneNumber"] as const;
export const FAMILY_FIELD_ORDER = ["numberOfDependents", "spouseName", "childrenNames"] as const;

export const toGeographicFormValues = (details: GeographicDetails | null): GeographicFormValues => ({
  country: details?.country ?? "",
  state: details?.state ?? "",
  city: details?.city ?? "",
  zipCode: details?.zipCode ?? "",
});

export const toContactFormValues = (details: ContactDetails | null): ContactFormValues => ({ email: details?.email ?? "", phoneNumber: details?.phoneNumber ?? "" });

export const toFamilyFormValues = (details: FamilyDetails | null): FamilyFormValues => ({
  numberOfDependents: details ? String(details.numberOfDependents) : "",
  spouseName: details?.spouseName ?? "",
  childrenNames: (details?.childrenNames ?? []).map((name) => ({ name })),
});

/** Whole or decimal numbers become numbers (the schema says what is wrong with them); anything else is NaN. */
function parseCount(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return /^[-+]?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The family form's values as the schema expects them: the count as a number, the children as a list of names. */
export const familyDetailsInput = (values: FamilyFormValues) => ({
  numberOfDependents: parseCount(values.numberOfDependents),
  spouseName: values.spouseName,
  childrenNames: values.childrenNames.map((child) => child.name),
});

/** "childrenNames.1" → "childrenNames.1.name"; the list's own message goes to "childrenNames.root". */
export function familyFieldPath(path: string): string {
  if (path === "childrenNames") return "childrenNames.root";
  if (/^childrenNames\.\d+$/.test(path)) return `${path}.name`;
  return path;
}
