"use server";

import { z } from "zod";
import { agentForAction } from "@/lib/auth/server";
import type { DecisionResponse, QuoteVersionResponse } from "@/lib/commands/quote-commands";
import { HTTP_STATUS, type AppError, type Result } from "@/lib/cqrs/app-error";
import { quoteIdSchema } from "@/schemas/quote-commands";
import { DECISIONS, decideQuote, requestApplicationNumberAsAgent } from "@/lib/agent/decisions";

/** What a server action returns: the value, or the refusal with the HTTP status the API would have answered. */
export type ActionResult<T> = { ok: true; value: T } | { ok: false; status: number; error: AppError };

const toAction = <T,>(result: Result<T>): ActionResult<T> => (result.ok ? result : { ok: false, status: HTTP_STATUS[result.error.kind], error: result.error });

const idempotencyKey = z.string().regex(/^[\w.:-]{1,100}$/).optional();
const decideInput = z.object({ quoteId: quoteIdSchema, decision: z.enum(DECISIONS), reason: z.string().optional(), idempotencyKey });
const retryInput = z.object({ quoteId: quoteIdSchema, idempotencyKey });

const invalid = (error: z.ZodError): ActionResult<never> => ({
  ok: false,
  status: 400,
  error: { kind: "validation", detail: "The request was not understood.", errors: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) },
});

/** Approve, reject or refer a quote: the session is checked here, on the server, before anything else. */
export async function decideQuoteAction(input: z.input<typeof decideInput>): Promise<ActionResult<DecisionResponse>> {
  const check = await agentForAction();
  if (!check.ok) return toAction(check);
  const parsed = decideInput.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { quoteId, decision, reason, idempotencyKey } = parsed.data;
  const body = reason === undefined ? {} : { reason };
  return toAction(await decideQuote(check.session, decision, quoteId, body, { idempotencyKey }));
}

/** Asks for the quote's application number again after the external service failed. */
export async function agentRetryApplicationNumberAction(input: z.input<typeof retryInput>): Promise<ActionResult<QuoteVersionResponse>> {
  const check = await agentForAction();
  if (!check.ok) return toAction(check);
  const parsed = retryInput.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  return toAction(await requestApplicationNumberAsAgent(check.session, parsed.data.quoteId, { idempotencyKey: parsed.data.idempotencyKey }));
}
