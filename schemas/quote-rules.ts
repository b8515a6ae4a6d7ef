/**
 * What the customer's answers must be, without zod: the messages and cross-field checks that both the server's
 * schemas are built from (quote-pages.ts, which the server and the browser share, and quote.ts), so a customer reads the
 * same message whichever checks the answers. The limits themselves are in quote-limits.ts.
 */
import type * as core from "zod/v4/core";
import { isCountryCode, regionName, type CountryCode } from "./countries";
import { MAX_CITY_LENGTH, MAX_DEPENDENTS, MAX_EMAIL_LENGTH, MAX_NAME_LENGTH } from "./quote-limits";

// ---------------------------------------------------------------------------------------------------------------
// Postcodes
// ---------------------------------------------------------------------------------------------------------------

/**
 * Each country's postcode in upper case; Canadian and UK codes with or without their one space (the check below
 * removes every space first). Also the OpenAPI document's patterns, so they are plain ASCII regular expressions.
 */
export const POSTCODE_PATTERNS: Readonly<Record<CountryCode, RegExp>> = {
  US: /^[0-9]{5}(-[0-9]{4})?$/,
  // Canada Post: no D, F, I, O, Q or U anywhere, and no W or Z as the first letter.
  CA: /^[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z] ?[0-9][ABCEGHJ-NPRSTV-Z][0-9]$/,
  // UK government's postcode pattern (BS 7666); GIR 0AA is Girobank's special code.
  GB: /^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]([0-9ABEHMNPRV-Y])?|[0-9][A-HJKPS-UW]) ?[0-9][ABD-HJLNP-UW-Z]{2})$/,
};

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
  return POSTCODE_PATTERNS[country].test(country === "US" ? postcode : withoutSpaces(postcode));
}

/** The postcode as it is stored and shown: Canadian and UK codes get one space before the last three characters. */
function formatPostcode(country: CountryCode, postcode: string): string {
  if (country === "US") return postcode;
  const compact = withoutSpaces(postcode);
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Every page's object
// ---------------------------------------------------------------------------------------------------------------

/** Messages for the object itself: not an object at all, or a field the schema does not know. */
export const strictObjectOptions = {
  error: (issue: { code?: string; keys?: string[] }) => {
    if (issue.code === "invalid_type") return "Send these details as an object with the fields of the form";
    if (issue.code !== "unrecognized_keys" || !issue.keys) return undefined;
    return issue.keys.length === 1
      ? `Unknown field "${issue.keys[0]}": remove it and try again`
      : `Unknown fields ${issue.keys.map((k) => `"${k}"`).join(", ")}: remove them and try again`;
  },
};

/** True when parsing reached the object-level check with a plain object (field errors may already exist). */
export const isObjectPayload = (payload: { value: unknown }) =>
  typeof payload.value === "object" && payload.value !== null && !Array.isArray(payload.value);

// ---------------------------------------------------------------------------------------------------------------
// Geographic details
// ---------------------------------------------------------------------------------------------------------------

export const GEOGRAPHIC_MESSAGES = {
  country: "Choose a country we cover: United States, Canada or United Kingdom",
  state: "Choose your state, province or nation",
  city: "Enter your city",
  cityTooLong: `City must be ${MAX_CITY_LENGTH} characters or fewer`,
  cityCharacters: "City must be plain text, without control characters",
  zipCode: "Enter your ZIP or postal code",
} as const;

/**
 * Checks that need the country. Runs even when another field already failed, so a customer sees every problem
 * at once; it only judges the state and postcode when the country itself is valid.
 */
export function checkRegionAndPostcode<Details extends object>(details: Details, ctx: core.$RefinementCtx<Details>): void {
  const { country, state, zipCode } = details as Partial<Record<"country" | "state" | "zipCode", unknown>>;
  if (!isCountryCode(country)) return;
  if (typeof state === "string" && state !== "" && regionName(country, state) === undefined) {
    ctx.addIssue({ code: "custom", path: ["state"], message: REGION_MESSAGE[country], input: state });
  }
  if (typeof zipCode === "string" && zipCode !== "" && !isValidPostcode(country, zipCode)) {
    ctx.addIssue({ code: "custom", path: ["zipCode"], message: POSTCODE_FORMAT_MESSAGE[country], input: zipCode });
  }
}

/** Valid details with their postcode as it is stored ("k1a0b1" → "K1A 0B1"); anything else unchanged. */
export function withFormattedPostcode<Details extends { country: string; zipCode: string }>(details: Details): Details {
  return isCountryCode(details.country) && typeof details.zipCode === "string" && isValidPostcode(details.country, details.zipCode)
    ? { ...details, zipCode: formatPostcode(details.country, details.zipCode) }
    : details;
}

// ---------------------------------------------------------------------------------------------------------------
// Contact details
// ---------------------------------------------------------------------------------------------------------------

export const PHONE_CHARACTERS = /^\+?[\d\s\-()]+$/;
export const MIN_PHONE_DIGITS = 7;
export const MAX_PHONE_DIGITS = 15; // E.164 maximum

const countDigits = (value: string) => value.replace(/\D/g, "").length;

export const hasEnoughPhoneDigits = (phone: string) => countDigits(phone) >= MIN_PHONE_DIGITS;
export const hasNotTooManyPhoneDigits = (phone: string) => countDigits(phone) <= MAX_PHONE_DIGITS;

export const CONTACT_MESSAGES = {
  email: "Enter your email address",
  emailTooLong: `Email address must be ${MAX_EMAIL_LENGTH} characters or fewer`,
  emailFormat: "Enter a valid email address, like name@example.com",
  phoneNumber: "Enter your phone number",
  phoneCharacters: "Phone number can only contain digits, spaces, brackets, dashes and a leading +",
  phoneTooShort: `Phone number is too short: it needs at least ${MIN_PHONE_DIGITS} digits`,
  phoneTooLong: `Phone number is too long: it can have at most ${MAX_PHONE_DIGITS} digits`,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Family details
// ---------------------------------------------------------------------------------------------------------------

export const FAMILY_MESSAGES = {
  numberOfDependents: "Enter the number of dependents as a number, like 2",
  dependentsWhole: "Number of dependents must be a whole number",
  dependentsNegative: "Number of dependents can't be negative",
  tooManyDependents: `We can cover up to ${MAX_DEPENDENTS} dependents`,
  spouseName: "Spouse's name must be text",
  spouseNameTooLong: `Spouse's name must be ${MAX_NAME_LENGTH} characters or fewer`,
  spouseNameCharacters: "Spouse's name must be plain text, without control characters",
  childName: "Each child's name must be text",
  childNameEmpty: "Enter each child's name, or remove the empty one",
  childNameTooLong: `Each child's name must be ${MAX_NAME_LENGTH} characters or fewer`,
  childNameCharacters: "Each child's name must be plain text, without control characters",
  childrenNames: "List your children's names, or leave the list empty",
  tooManyChildren: `You can list up to ${MAX_DEPENDENTS} children`,
} as const;

/** A blank spouse field in the form means "no spouse". */
export const blankAsNoName = (name: string) => (name === "" ? undefined : name);

const isDependentCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_DEPENDENTS;

/** Every child listed must be counted among the dependents. */
export function checkChildrenWithinDependents<Family extends object>(family: Family, ctx: core.$RefinementCtx<Family>): void {
  const { numberOfDependents, childrenNames } = family as Partial<Record<"numberOfDependents" | "childrenNames", unknown>>;
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
}
