/**
 * Zod schemas for the quote: shared by the browser forms (react-hook-form), the server actions and the HTTP API,
 * so a customer sees the same message whichever way the data arrives.
 *
 * Every object is strict: an unknown field is an error, not silently dropped.
 * Parsing also normalises: text is trimmed, email lowercased, state codes and postcodes uppercased,
 * Canadian and UK postcodes get their single space ("k1a0b1" → "K1A 0B1").
 */
import { z } from "zod";

// ---------------------------------------------------------------------------------------------------------------
// Countries and their states / provinces / nations
// ---------------------------------------------------------------------------------------------------------------

export const COUNTRY_CODES = ["US", "CA", "GB"] as const;
export type CountryCode = (typeof COUNTRY_CODES)[number];

export interface Country {
  code: CountryCode;
  name: string;
}

export const COUNTRIES: readonly Country[] = [
  { code: "US", name: "United States" },
  { code: "CA", name: "Canada" },
  { code: "GB", name: "United Kingdom" },
];

/** A state, province, territory or nation within a country. */
export interface Region {
  code: string;
  name: string;
}

export const US_STATES: readonly Region[] = [
  { code: "AL", name: "Alabama" },
  { code: "AK", name: "Alaska" },
  { code: "AZ", name: "Arizona" },
  { code: "AR", name: "Arkansas" },
  { code: "CA", name: "California" },
  { code: "CO", name: "Colorado" },
  { code: "CT", name: "Connecticut" },
  { code: "DE", name: "Delaware" },
  { code: "DC", name: "District of Columbia" },
  { code: "FL", name: "Florida" },
  { code: "GA", name: "Georgia" },
  { code: "HI", name: "Hawaii" },
  { code: "ID", name: "Idaho" },
  { code: "IL", name: "Illinois" },
  { code: "IN", name: "Indiana" },
  { code: "IA", name: "Iowa" },
  { code: "KS", name: "Kansas" },
  { code: "KY", name: "Kentucky" },
  { code: "LA", name: "Louisiana" },
  { code: "ME", name: "Maine" },
  { code: "MD", name: "Maryland" },
  { code: "MA", name: "Massachusetts" },
  { code: "MI", name: "Michigan" },
  { code: "MN", name: "Minnesota" },
  { code: "MS", name: "Mississippi" },
  { code: "MO", name: "Missouri" },
  { code: "MT", name: "Montana" },
  { code: "NE", name: "Nebraska" },
  { code: "NV", name: "Nevada" },
  { code: "NH", name: "New Hampshire" },
  { code: "NJ", name: "New Jersey" },
  { code: "NM", name: "New Mexico" },
  { code: "NY", name: "New York" },
  { code: "NC", name: "North Carolina" },
  { code: "ND", name: "North Dakota" },
  { code: "OH", name: "Ohio" },
  { code: "OK", name: "Oklahoma" },
  { code: "OR", name: "Oregon" },
  { code: "PA", name: "Pennsylvania" },
  { code: "RI", name: "Rhode Island" },
  { code: "SC", name: "South Carolina" },
  { code: "SD", name: "South Dakota" },
  { code: "TN", name: "Tennessee" },
  { code: "TX", name: "Texas" },
  { code: "UT", name: "Utah" },
  { code: "VT", name: "Vermont" },
  { code: "VA", name: "Virginia" },
  { code: "WA", name: "Washington" },
  { code: "WV", name: "West Virginia" },
  { code: "WI", name: "Wisconsin" },
  { code: "WY", name: "Wyoming" },
];

export const CANADIAN_PROVINCES: readonly Region[] = [
  { code: "AB", name: "Alberta" },
  { code: "BC", name: "British Columbia" },
  { code: "MB", name: "Manitoba" },
  { code: "NB", name: "New Brunswick" },
  { code: "NL", name: "Newfoundland and Labrador" },
  { code: "NS", name: "Nova Scotia" },
  { code: "NT", name: "Northwest Territories" },
  { code: "NU", name: "Nunavut" },
  { code: "ON", name: "Ontario" },
  { code: "PE", name: "Prince Edward Island" },
  { code: "QC", name: "Quebec" },
  { code: "SK", name: "Saskatchewan" },
  { code: "YT", name: "Yukon" },
];

/** ISO 3166-2:GB codes of the four nations. */
export const GB_NATIONS: readonly Region[] = [
  { code: "ENG", name: "England" },
  { code: "SCT", name: "Scotland" },
  { code: "WLS", name: "Wales" },
  { code: "NIR", name: "Northern Ireland" },
];

export const REGIONS_BY_COUNTRY: Readonly<Record<CountryCode, readonly Region[]>> = {
  US: US_STATES,
  CA: CANADIAN_PROVINCES,
  GB: GB_NATIONS,
};

/** What a region is called in each country, for labels and messages. */
export const REGION_LABEL_BY_COUNTRY: Readonly<Record<CountryCode, string>> = {
  US: "State",
  CA: "Province or territory",
  GB: "Nation",
};

/** What a postcode is called in each country, for labels and messages. */
export const POSTCODE_LABEL_BY_COUNTRY: Readonly<Record<CountryCode, string>> = {
  US: "ZIP code",
  CA: "Postal code",
  GB: "Postcode",
};

export function isCountryCode(value: unknown): value is CountryCode {
  return typeof value === "string" && (COUNTRY_CODES as readonly string[]).includes(value);
}

export function countryName(country: CountryCode): string {
  return COUNTRIES.find((c) => c.code === country)?.name ?? country;
}

/** The region's name ("California"), or undefined when the code is not a region of that country. */
export function regionName(country: CountryCode, regionCode: string): string | undefined {
  return REGIONS_BY_COUNTRY[country].find((r) => r.code === regionCode)?.name;
}

// ---------------------------------------------------------------------------------------------------------------
// Postcodes
// ---------------------------------------------------------------------------------------------------------------

const US_ZIP = /^\d{5}(-\d{4})?$/;
// Canada Post: no D, F, I, O, Q or U anywhere, and no W or Z as the first letter. Matched without the space.
const CA_POSTAL_CODE = /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\d[ABCEGHJ-NPRSTV-Z]\d$/;
// UK government's postcode pattern (BS 7666), matched without the space; GIR 0AA is Girobank's special code.
const GB_POSTCODE =
  /^(GIR0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]([0-9ABEHMNPRV-Y])?|[0-9][A-HJKPS-UW])[0-9][ABD-HJLNP-UW-Z]{2})$/;

const POSTCODE_FORMAT_MESSAGE: Readonly<Record<CountryCode, string>> = {
  US: "ZIP code must be 5 digits, like 94103, or ZIP+4, like 94103-1234",
  CA: "Postal code must look like A1A 1A1, for example K1A 0B1",
  GB: "Enter a valid UK postcode, like SW1A 1AA",
};

const REGION_MESSAGE: Readonly<Record<CountryCode, string>> = {
  US: "Choose a state of the United States (or the District of Columbia)",
  CA: "Choose a province or territory of Canada",
  GB: "Choose a nation of the United Kingdom: England, Scotland, Wales or Northern Ireland",
};

const withoutSpaces = (value: string) => value.replace(/\s+/g, "");

function isValidPostcode(country: CountryCode, postcode: string): boolean {
  switch (country) {
    case "US":
      return US_ZIP.test(postcode);
    case "CA":
      return CA_POSTAL_CODE.test(withoutSpaces(postcode));
    case "GB":
      return GB_POSTCODE.test(withoutSpaces(postcode));
  }
}

/** The postcode as it is stored and shown: Canadian and UK codes get one space before the last three characters. */
function formatPostcode(country: CountryCode, postcode: string): string {
  if (country === "US") return postcode;
  const compact = withoutSpaces(postcode);
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------------------------

/** Messages for the object itself: not an object at all, or a field the schema does not know. */
const strictObjectOptions = {
  error: (issue: { code?: string; keys?: string[] }) => {
    if (issue.code === "invalid_type") return "Send these details as an object with the fields of the form";
    if (issue.code !== "unrecognized_keys" || !issue.keys) return undefined;
    return issue.keys.length === 1
      ? `Unknown field "${issue.keys[0]}": remove it and try again`
      : `Unknown fields ${issue.keys.map((k) => `"${k}"`).join(", ")}: remove them and try again`;
  },
};

/** True when parsing reached the object-level check with a plain object (field errors may already exist). */
const isObjectPayload = (payload: { value: unknown }) =>
  typeof payload.value === "object" && payload.value !== null && !Array.isArray(payload.value);

// ---------------------------------------------------------------------------------------------------------------
// Geographic details
// ---------------------------------------------------------------------------------------------------------------

export const geographicDetailsSchema = z
  .strictObject(
    {
      country: z.enum(COUNTRY_CODES, {
        error: "Choose a country we cover: United States, Canada or United Kingdom",
      }),
      state: z
        .string({ error: "Choose your state, province or nation" })
        .trim()
        .toUpperCase()
        .min(1, "Choose your state, province or nation"),
      city: z
        .string({ error: "Enter your city" })
        .trim()
        .min(1, "Enter your city")
        .max(100, "City must be 100 characters or fewer"),
      zipCode: z
        .string({ error: "Enter your ZIP or postal code" })
        .trim()
        .toUpperCase()
        .min(1, "Enter your ZIP or postal code"),
    },
    strictObjectOptions,
  )
  // Checks that need the country. Runs even when another field already failed, so a customer sees every problem
  // at once; it only judges the state and postcode when the country itself is valid.
  .superRefine(
    (details, ctx) => {
      const { country, state, zipCode } = details as Partial<Record<keyof typeof details, unknown>>;
      if (!isCountryCode(country)) return;
      if (typeof state === "string" && state !== "" && regionName(country, state) === undefined) {
        ctx.addIssue({ code: "custom", path: ["state"], message: REGION_MESSAGE[country], input: state });
      }
      if (typeof zipCode === "string" && zipCode !== "" && !isValidPostcode(country, zipCode)) {
        ctx.addIssue({ code: "custom", path: ["zipCode"], message: POSTCODE_FORMAT_MESSAGE[country], input: zipCode });
      }
    },
    { when: isObjectPayload },
  )
  .overwrite((details) =>
    isCountryCode(details.country) &&
    typeof details.zipCode === "string" &&
    isValidPostcode(details.country, details.zipCode)
      ? { ...details, zipCode: formatPostcode(details.country, details.zipCode) }
      : details,
  );

// ---------------------------------------------------------------------------------------------------------------
// Contact details
// ---------------------------------------------------------------------------------------------------------------

const PHONE_CHARACTERS = /^\+?[\d\s\-()]+$/;
const MIN_PHONE_DIGITS = 7;
const MAX_PHONE_DIGITS = 15; // E.164 maximum

const countDigits = (value: string) => value.replace(/\D/g, "").length;

export const contactDetailsSchema = z.strictObject(
  {
    email: z
      .string({ error: "Enter your email address" })
      .trim()
      .toLowerCase()
      .min(1, { error: "Enter your email address", abort: true })
      .max(254, { error: "Email address must be 254 characters or fewer", abort: true })
      .regex(z.regexes.email, "Enter a valid email address, like name@example.com"),
    phoneNumber: z
      .string({ error: "Enter your phone number" })
      .trim()
      .min(1, { error: "Enter your phone number", abort: true })
      .regex(PHONE_CHARACTERS, {
        error: "Phone number can only contain digits, spaces, brackets, dashes and a leading +",
        abort: true,
      })
      .refine((phone) => countDigits(phone) >= MIN_PHONE_DIGITS, {
        error: `Phone number is too short: it needs at least ${MIN_PHONE_DIGITS} digits`,
      })
      .refine((phone) => countDigits(phone) <= MAX_PHONE_DIGITS, {
        error: `Phone number is too long: it can have at most ${MAX_PHONE_DIGITS} digits`,
      }),
  },
  strictObjectOptions,
);

// ---------------------------------------------------------------------------------------------------------------
// Family details
// ---------------------------------------------------------------------------------------------------------------

export const MAX_DEPENDENTS = 12;
export const MAX_NAME_LENGTH = 100;

const isDependentCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_DEPENDENTS;

export const familyDetailsSchema = z
  .strictObject(
    {
      numberOfDependents: z
        .number({ error: "Enter the number of dependents as a number, like 2" })
        .int("Number of dependents must be a whole number")
        .min(0, "Number of dependents can't be negative")
        .max(MAX_DEPENDENTS, `We can cover up to ${MAX_DEPENDENTS} dependents`),
      spouseName: z
        .string({ error: "Spouse's name must be text" })
        .trim()
        .max(MAX_NAME_LENGTH, `Spouse's name must be ${MAX_NAME_LENGTH} characters or fewer`)
        // A blank field in the form means "no spouse".
        .transform((name) => (name === "" ? undefined : name))
        .optional(),
      childrenNames: z
        .array(
          z
            .string({ error: "Each child's name must be text" })
            .trim()
            .min(1, "Enter each child's name, or remove the empty one")
            .max(MAX_NAME_LENGTH, `Each child's name must be ${MAX_NAME_LENGTH} characters or fewer`),
          { error: "List your children's names, or leave the list empty" },
        )
        .max(MAX_DEPENDENTS, `You can list up to ${MAX_DEPENDENTS} children`),
    },
    strictObjectOptions,
  )
  .superRefine(
    (family, ctx) => {
      const { numberOfDependents, childrenNames } = family as Partial<Record<keyof typeof family, unknown>>;
      // Compare only a valid count: a bad one already has its own message.
      if (!isDependentCount(numberOfDependents) || !Array.isArray(childrenNames)) return;
      if (childrenNames.length > numberOfDependents) {
        ctx.addIssue({
          code: "custom",
          path: ["childrenNames"],
          message:
            `You listed ${childrenNames.length} ${childrenNames.length === 1 ? "child" : "children"} but ` +
            `${numberOfDependents} ${numberOfDependents === 1 ? "dependent" : "dependents"}: ` +
            "count every child in your number of dependents",
          input: childrenNames,
        });
      }
    },
    { when: isObjectPayload },
  );

// ---------------------------------------------------------------------------------------------------------------
// Agent decisions
// ---------------------------------------------------------------------------------------------------------------

export const MAX_REASON_LENGTH = 500;

function reasonSchema(missingMessage: string) {
  return z
    .string({ error: missingMessage })
    .trim()
    .min(1, missingMessage)
    .max(MAX_REASON_LENGTH, `Reason must be ${MAX_REASON_LENGTH} characters or fewer`);
}

export const decisionReasonSchema = reasonSchema("Enter a reason");

export const approveQuoteBodySchema = z.strictObject(
  {
    reason: z
      .string({ error: "Reason must be text" })
      .trim()
      .max(MAX_REASON_LENGTH, `Reason must be ${MAX_REASON_LENGTH} characters or fewer`)
      // Approving needs no reason: a blank field means none was given.
      .transform((reason) => (reason === "" ? undefined : reason))
      .optional(),
  },
  strictObjectOptions,
);

export const rejectQuoteBodySchema = z.strictObject(
  { reason: reasonSchema("Enter a reason for rejecting this quote") },
  strictObjectOptions,
);

export const referQuoteBodySchema = z.strictObject(
  { reason: reasonSchema("Enter a reason for referring this quote") },
  strictObjectOptions,
);

// ---------------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------------

/** Parsed (normalised) data, as the domain receives it. */
export type GeographicDetails = z.output<typeof geographicDetailsSchema>;
export type ContactDetails = z.output<typeof contactDetailsSchema>;
export type FamilyDetails = z.output<typeof familyDetailsSchema>;
export type DecisionReason = z.output<typeof decisionReasonSchema>;
export type ApproveQuoteBody = z.output<typeof approveQuoteBodySchema>;
export type RejectQuoteBody = z.output<typeof rejectQuoteBodySchema>;
export type ReferQuoteBody = z.output<typeof referQuoteBodySchema>;

/** What a form holds before parsing (react-hook-form's field values). */
export type GeographicDetailsInput = z.input<typeof geographicDetailsSchema>;
export type ContactDetailsInput = z.input<typeof contactDetailsSchema>;
export type FamilyDetailsInput = z.input<typeof familyDetailsSchema>;
export type ApproveQuoteBodyInput = z.input<typeof approveQuoteBodySchema>;
export type RejectQuoteBodyInput = z.input<typeof rejectQuoteBodySchema>;
export type ReferQuoteBodyInput = z.input<typeof referQuoteBodySchema>;
