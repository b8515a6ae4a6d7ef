/**
 * An agent's decision on several quotes at once (approve or refer; rejecting stays one quote at a time), and the
 * command batch's id in the status URL.
 */
import "./zod-without-eval";
import { z } from "zod";
import { optionalReasonSchema } from "./quote";
import { strictObjectOptions } from "./quote-rules";

export const BULK_DECISIONS = ["approve", "refer"] as const;
export type BulkDecision = (typeof BULK_DECISIONS)[number];
export const MAX_BULK_QUOTES = 100;

export const bulkDecisionBodySchema = z
  .strictObject(
    {
      decision: z.enum(BULK_DECISIONS, { error: "decision must be approve or refer" }),
      quoteIds: z
        .array(z.uuid({ error: "Each quote id must be a quote id (a UUID)" }).transform((id) => id.toLowerCase()), { error: "quoteIds must be a list of quote ids" })
        .min(1, "Select at least one quote")
        .max(MAX_BULK_QUOTES, `Select at most ${MAX_BULK_QUOTES} quotes at once`)
        .refine((ids) => new Set(ids).size === ids.length, "Select each quote only once"),
      reason: optionalReasonSchema,
    },
    strictObjectOptions,
  )
  .superRefine((body, context) => {
    // As for a single referral: referring needs a reason, approving does not.
    if (body.decision === "refer" && !body.reason) context.addIssue({ code: "custom", path: ["reason"], message: "Enter a reason for referring these quotes" });
  });
export type BulkDecisionBody = z.output<typeof bulkDecisionBodySchema>;

export const commandBatchIdSchema = z.uuid({ error: "commandId must be a command's id (a UUID)" }).transform((id) => id.toLowerCase());
