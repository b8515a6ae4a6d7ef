/** Parameter schemas of the queries (agents' list filters arrive as URL search parameters). */
import { z } from "zod";
import { agentIdSchema } from "./admin";
import { quoteIdSchema } from "./quote-commands";

const QUOTE_STATUSES = ["draft", "submitted", "approved", "rejected", "referred", "cancelled", "expired"] as const;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-26");
const minVersion = z.coerce.number({ error: "minVersion must be a number" }).int().min(0).optional();

export const getQuotePayloadSchema = z.strictObject({ quoteId: quoteIdSchema, minVersion });
export const getQuoteTimelinePayloadSchema = z.strictObject({ quoteId: quoteIdSchema });

export const listQuotesPayloadSchema = z.strictObject({
  status: z.enum(QUOTE_STATUSES, { error: `status must be one of ${QUOTE_STATUSES.join(", ")}` }).optional(),
  search: z.string().trim().max(100, "search must be 100 characters or fewer").optional(),
  assignedTo: agentIdSchema.optional(),
  sort: z.enum(["updatedAt", "createdAt", "monthlyPremium", "status", "referredAt"], { error: "sort must be updatedAt, createdAt, monthlyPremium, status or referredAt" }).optional(),
  order: z.enum(["asc", "desc"], { error: "order must be asc or desc" }).optional(),
  page: z.coerce.number({ error: "page must be a number" }).int().min(1, "page starts at 1").optional(),
  pageSize: z.coerce.number({ error: "pageSize must be a number" }).int().min(1).max(100, "pageSize is at most 100").optional(),
});

export const exportQuotesPayloadSchema = listQuotesPayloadSchema.omit({ page: true, pageSize: true });

export const getFunnelPayloadSchema = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((range) => range.from <= range.to, { path: ["to"], message: "The end date must be on or after the start date" })
  .refine((range) => (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 <= 366, { path: ["to"], message: "Choose a range of at most a year" });
