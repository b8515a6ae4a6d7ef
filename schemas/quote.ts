/**
 * Zod schemas for the quote: used by the server actions, the HTTP API and the agents' pages, so a customer sees the
 * same message whichever way the data arrives. The wizard's three pages are defined once, in quote-pages.ts, which the
 * browser loads too.
 *
 * Every object is strict: an unknown field is an error, not silently dropped.
 * Parsing also normalises: text is trimmed, email lowercased, state codes and postcodes uppercased,
 * Canadian and UK postcodes get their single space ("k1a0b1" → "K1A 0B1").
 */
import "./zod-without-eval";
import { z } from "zod";
import { isMultiLineText } from "./plain-text";
import { strictObjectOptions } from "./quote-rules";

export * from "./countries";
export { MAX_DEPENDENTS, MAX_NAME_LENGTH } from "./quote-limits";

export { contactDetailsSchema, familyDetailsSchema, geographicDetailsSchema } from "./quote-pages";

// ---------------------------------------------------------------------------------------------------------------
// Agent decisions
// ---------------------------------------------------------------------------------------------------------------

export const MAX_REASON_LENGTH = 500;
const REASON_CHARACTERS_MESSAGE = "Reason must be plain text, without control characters";

function reasonSchema(missingMessage: string) {
  return z
    .string({ error: missingMessage })
    .trim()
    .min(1, missingMessage)
    .max(MAX_REASON_LENGTH, `Reason must be ${MAX_REASON_LENGTH} characters or fewer`)
    .refine(isMultiLineText, REASON_CHARACTERS_MESSAGE);
}

export const decisionReasonSchema = reasonSchema("Enter a reason");

/** A reason the decision does not need (approving): a blank field means none was given. */
export const optionalReasonSchema = z
  .string({ error: "Reason must be text" })
  .trim()
  .max(MAX_REASON_LENGTH, `Reason must be ${MAX_REASON_LENGTH} characters or fewer`)
  .refine(isMultiLineText, REASON_CHARACTERS_MESSAGE)
  .transform((reason) => (reason === "" ? undefined : reason))
  .optional();

export const approveQuoteBodySchema = z.strictObject({ reason: optionalReasonSchema }, strictObjectOptions);

export const rejectQuoteBodySchema = z.strictObject(
  { reason: reasonSchema("Enter a reason for rejecting this quote") },
  strictObjectOptions,
);

export const referQuoteBodySchema = z.strictObject(
  { reason: reasonSchema("Enter a reason for referring this quote") },
  strictObjectOptions,
);

/** An agent's request to erase a quote's personal data (the customer's own request needs no reason). */
export const eraseQuoteBodySchema = z.strictObject(
  { reason: reasonSchema("Enter a reason for erasing this quote's personal data") },
  strictObjectOptions,
);

/** The reason recorded when the customer erases their own data. */
export const CUSTOMER_ERASURE_REASON = "The customer asked to delete their data";

// ---------------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------------

import type { contactDetailsSchema, familyDetailsSchema, geographicDetailsSchema } from "./quote-pages";

/** Parsed (normalised) data, as the domain receives it. */
export type GeographicDetails = z.output<typeof geographicDetailsSchema>;
export type ContactDetails = z.output<typeof contactDetailsSchema>;
export type FamilyDetails = z.output<typeof familyDetailsSchema>;
export type DecisionReason = z.output<typeof decisionReasonSchema>;
export type ApproveQuoteBody = z.output<typeof approveQuoteBodySchema>;
export type RejectQuoteBody = z.output<typeof rejectQuoteBodySchema>;
export type ReferQuoteBody = z.output<typeof referQuoteBodySchema>;
export type EraseQuoteBody = z.output<typeof eraseQuoteBodySchema>;

/** What a form holds before parsing (react-hook-form's field values). */
export type GeographicDetailsInput = z.input<typeof geographicDetailsSchema>;
export type ContactDetailsInput = z.input<typeof contactDetailsSchema>;
export type FamilyDetailsInput = z.input<typeof familyDetailsSchema>;
export type ApproveQuoteBodyInput = z.input<typeof approveQuoteBodySchema>;
export type RejectQuoteBodyInput = z.input<typeof rejectQuoteBodySchema>;
export type ReferQuoteBodyInput = z.input<typeof referQuoteBodySchema>;
