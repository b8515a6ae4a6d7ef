/** Payload schemas of every command the bus accepts: the same objects serve server actions, the API and the worker. */
import { z } from "zod";
import {
  approveQuoteBodySchema,
  contactDetailsSchema,
  eraseQuoteBodySchema,
  familyDetailsSchema,
  geographicDetailsSchema,
  referQuoteBodySchema,
  rejectQuoteBodySchema,
} from "./quote";
import { addQuoteNoteBodySchema, agentIdSchema } from "./admin";
import { isMultiLineText } from "./plain-text";

export const quoteIdSchema = z.uuid({ error: "quoteId must be a quote id (a UUID)" });
const withQuoteId = { quoteId: quoteIdSchema };

export const startQuotePayloadSchema = z.strictObject({});
export const captureGeographicDetailsPayloadSchema = z.strictObject({ ...withQuoteId, details: geographicDetailsSchema });
export const captureContactDetailsPayloadSchema = z.strictObject({ ...withQuoteId, details: contactDetailsSchema });
export const captureFamilyDetailsPayloadSchema = z.strictObject({ ...withQuoteId, details: familyDetailsSchema });
export const quoteOnlyPayloadSchema = z.strictObject(withQuoteId);
export const assignApplicationNumberPayloadSchema = z.strictObject({
  ...withQuoteId,
  applicationNumber: z.string().regex(/^APP-\d{4}-\d{6}$/, "applicationNumber must look like APP-2026-000123"),
});
export const recordApplicationNumberFailurePayloadSchema = z.strictObject({ ...withQuoteId, reason: z.string().trim().min(1).max(500).refine(isMultiLineText, "reason must be plain text, without control characters") });
export const approveQuotePayloadSchema = approveQuoteBodySchema.extend(withQuoteId);
export const rejectQuotePayloadSchema = rejectQuoteBodySchema.extend(withQuoteId);
export const referQuotePayloadSchema = referQuoteBodySchema.extend(withQuoteId);
export const eraseQuotePersonalDataPayloadSchema = eraseQuoteBodySchema.extend(withQuoteId);
export const applyDataRetentionPayloadSchema = z.strictObject({ ...withQuoteId, period: z.enum(["draft", "closed"]), dueAt: z.iso.datetime() });
export const addQuoteNotePayloadSchema = addQuoteNoteBodySchema.extend(withQuoteId);
/** The assignee's id: the route or action fills in the signed-in agent when the body names none. */
export const assignQuotePayloadSchema = z.strictObject({ ...withQuoteId, agentId: agentIdSchema });

/** The code in a resume link: 32 random bytes, base64url. */
export const resumeCodeSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{43}$/, "That is not a resume code: copy the whole link, or the 43-character code shown with it");
export const resumeQuotePayloadSchema = z.strictObject({ ...withQuoteId, resumeCode: resumeCodeSchema });
