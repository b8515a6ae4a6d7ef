/**
 * The wizard's three pages of answers: the one definition the server (commands, HTTP API, server actions, OpenAPI)
 * and the browser's own check before a save both use. Written in zod/mini so the browser loads little of zod;
 * the server's zod schemas nest it as they would any other.
 */
import "./zod-without-eval";
import * as z from "zod/mini";
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
import { isSingleLineText } from "./plain-text";
import { MAX_CITY_LENGTH, MAX_DEPENDENTS, MAX_EMAIL_LENGTH, MAX_NAME_LENGTH } from "./quote-limits";

export const geographicDetailsSchema = z
  .strictObject(
    {
      country: z.enum(COUNTRY_CODES, { error: GEOGRAPHIC_MESSAGES.country }),
      state: z.string({ error: GEOGRAPHIC_MESSAGES.state }).check(z.trim(), z.toUpperCase(), z.minLength(1, GEOGRAPHIC_MESSAGES.state)),
      city: z
        .string({ error: GEOGRAPHIC_MESSAGES.city })
        .check(z.trim(), z.minLength(1, GEOGRAPHIC_MESSAGES.city), z.maxLength(MAX_CITY_LENGTH, GEOGRAPHIC_MESSAGES.cityTooLong), z.refine(isSingleLineText, GEOGRAPHIC_MESSAGES.cityCharacters)),
      zipCode: z.string({ error: GEOGRAPHIC_MESSAGES.zipCode }).check(z.trim(), z.toUpperCase(), z.minLength(1, GEOGRAPHIC_MESSAGES.zipCode)),
    },
    strictObjectOptions,
  )
  .check(z.superRefine(checkRegionAndPostcode, { when: isObjectPayload }), z.overwrite(withFormattedPostcode));

export const contactDetailsSchema = z.strictObject(
  {
    email: z
      .string({ error: CONTACT_MESSAGES.email })
      .check(
        z.trim(),
        z.toLowerCase(),
        z.minLength(1, { error: CONTACT_MESSAGES.email, abort: true }),
        z.maxLength(MAX_EMAIL_LENGTH, { error: CONTACT_MESSAGES.emailTooLong, abort: true }),
        z.regex(z.regexes.email, CONTACT_MESSAGES.emailFormat),
      ),
    phoneNumber: z
      .string({ error: CONTACT_MESSAGES.phoneNumber })
      .check(
        z.trim(),
        z.minLength(1, { error: CONTACT_MESSAGES.phoneNumber, abort: true }),
        z.regex(PHONE_CHARACTERS, { error: CONTACT_MESSAGES.phoneCharacters, abort: true }),
        z.refine(hasEnoughPhoneDigits, { error: CONTACT_MESSAGES.phoneTooShort }),
        z.refine(hasNotTooManyPhoneDigits, { error: CONTACT_MESSAGES.phoneTooLong }),
      ),
  },
  strictObjectOptions,
);

export const familyDetailsSchema = z
  .strictObject(
    {
      numberOfDependents: z
        .number({ error: FAMILY_MESSAGES.numberOfDependents })
        .check(
          z.int(FAMILY_MESSAGES.dependentsWhole),
          z.gte(0, FAMILY_MESSAGES.dependentsNegative),
          z.lte(MAX_DEPENDENTS, FAMILY_MESSAGES.tooManyDependents),
        ),
      spouseName: z.optional(
        z.pipe(
          z.string({ error: FAMILY_MESSAGES.spouseName }).check(z.trim(), z.maxLength(MAX_NAME_LENGTH, FAMILY_MESSAGES.spouseNameTooLong), z.refine(isSingleLineText, FAMILY_MESSAGES.spouseNameCharacters)),
          z.transform(blankAsNoName),
        ),
      ),
      childrenNames: z
        .array(
          z
            .string({ error: FAMILY_MESSAGES.childName })
            .check(z.trim(), z.minLength(1, FAMILY_MESSAGES.childNameEmpty), z.maxLength(MAX_NAME_LENGTH, FAMILY_MESSAGES.childNameTooLong), z.refine(isSingleLineText, FAMILY_MESSAGES.childNameCharacters)),
          { error: FAMILY_MESSAGES.childrenNames },
        )
        .check(z.maxLength(MAX_DEPENDENTS, FAMILY_MESSAGES.tooManyChildren)),
    },
    strictObjectOptions,
  )
  .check(z.superRefine(checkChildrenWithinDependents, { when: isObjectPayload }));
