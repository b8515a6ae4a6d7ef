/**
 * Zod schemas for the quote: used by the server actions, the HTTP API and the agents' pages, so a customer sees the
 * same message whichever way the data arrives. The browser checks the wizard's pages with the same rules and
 * messages (quote-rules.ts) in zod/mini (quote-details-mini.ts).
 *
 * Every object is strict: an unknown field is an error, not silently dropped.
 * Parsing also normalises: text is trimmed, email lowercased, state codes and postcodes uppercased,
 * Canadian and UK postcodes get their single space ("k1a0b1" → "K1A 0B1").
 */
import "./zod-without-eval";
import { z } from "zod";
import { COUNTRY_CODES } from "./countries";
import {
  blankAsNoName,
  checkChildrenWithinDependents,
  checkRegionAndPostcode,
  CONTACT_MESSAGES,
  FAMILY_MESSAGES,
  GEOGRAPHIC_MESSAGES,
  hasEnoughPhoneDigits,
  hasNotTooManyPhoneDigits,
  isObjectPayload,
  PHONE_CHARACTERS,
  strictObjectOptions,
  withFormattedPostcode,
} from "./quote-rules";
import { MAX_CITY_LENGTH, MAX_DEPENDENTS, MAX_EMAIL_LENGTH, MAX_NAME_LENGTH } from "./quote-limits";

export * from "./countries";
export { MAX_DEPENDENTS, MAX_NAME_LENGTH } from "./quote-limits";

// ---------------------------------------------------------------------------------------------------------------
// Geographic details
// ---------------------------------------------------------------------------------------------------------------

export const geographicDetailsSchema = z
  .strictObject(
    {
      country: z.enum(COUNTRY_CODES, { error: GEOGRAPHIC_MESSAGES.country }),
      state: z.string({ error: GEOGRAPHIC_MESSAGES.state }).trim().toUpperCase().min(1, GEOGRAPHIC_MESSAGES.state),
      city: z
        .string({ error: GEOGRAPHIC_MESSAGES.city })
        .trim()
        .min(1, GEOGRAPHIC_MESSAGES.city)
        .max(MAX_CITY_LENGTH, GEOGRAPHIC_MESSAGES.cityTooLong),
      zipCode: z.string({ error: GEOGRAPHIC_MESSAGES.zipCode }).trim().toUpperCase().min(1, GEOGRAPHIC_MESSAGES.zipCode),
    },
    strictObjectOptions,
  )
  .superRefine(checkRegionAndPostcode, { when: isObjectPayload })
  .overwrite(withFormattedPostcode);

// ---------------------------------------------------------------------------------------------------------------
// Contact details
// ---------------------------------------------------------------------------------------------------------------

export const contactDetailsSchema = z.strictObject(
  {
    email: z
      .string({ error: CONTACT_MESSAGES.email })
      .trim()
      .toLowerCase()
      .min(1, { error: CONTACT_MESSAGES.email, abort: true })
      .max(MAX_EMAIL_LENGTH, { error: CONTACT_MESSAGES.emailTooLong, abort: true })
      .regex(z.regexes.email, CONTACT_MESSAGES.emailFormat),
    phoneNumber: z
      .string({ error: CONTACT_MESSAGES.phoneNumber })
      .trim()
      .min(1, { error: CONTACT_MESSAGES.phoneNumber, abort: true })
      .regex(PHONE_CHARACTERS, { error: CONTACT_MESSAGES.phoneCharacters, abort: true })
      .refine(hasEnoughPhoneDigits, { error: CONTACT_MESSAGES.phoneTooShort })
      .refine(hasNotTooManyPhoneDigits, { error: CONTACT_MESSAGES.phoneTooLong }),
  },
  strictObjectOptions,
);

// ---------------------------------------------------------------------------------------------------------------
// Family details
// ---------------------------------------------------------------------------------------------------------------

export const familyDetailsSchema = z
  .strictObject(
    {
      numberOfDependents: z
        .number({ error: FAMILY_MESSAGES.numberOfDependents })
        .int(FAMILY_MESSAGES.dependentsWhole)
        .min(0, FAMILY_MESSAGES.dependentsNegative)
        .max(MAX_DEPENDENTS, FAMILY_MESSAGES.tooManyDependents),
      spouseName: z
        .string({ error: FAMILY_MESSAGES.spouseName })
        .trim()
        .max(MAX_NAME_LENGTH, FAMILY_MESSAGES.spouseNameTooLong)
        .transform(blankAsNoName)
        .optional(),
      childrenNames: z
        .array(
          z
            .string({ error: FAMILY_MESSAGES.childName })
            .trim()
            .min(1, FAMILY_MESSAGES.childNameEmpty)
            .max(MAX_NAME_LENGTH, FAMILY_MESSAGES.childNameTooLong),
          { error: FAMILY_MESSAGES.childrenNames },
        )
        .max(MAX_DEPENDENTS, FAMILY_MESSAGES.tooManyChildren),
    },
    strictObjectOptions,
  )
  .superRefine(checkChildrenWithinDependents, { when: isObjectPayload });

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
