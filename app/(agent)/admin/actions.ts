"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { agentForAction } from "@/lib/auth/server";
import type { DecisionResponse, QuoteVersionResponse } from "@/lib/commands/quote-commands";
import { HTTP_STATUS, type AppError, type Result } from "@/lib/cqrs/app-error";
import { quoteIdSchema } from "@/schemas/quote-commands";
import { DECISIONS, decideQuote, requestApplicationNumberAsAgent } from "@/lib/agent/decisions";
import { quoteView } from "@/lib/agent/queries";
import { formSubmissionKey } from "@/lib/customer/form-submission-key";
import { inSpan } from "@/lib/tracing/tracing";

/** What a server action returns: the value, or the refusal with the HTTP status the API would have answered. */
export type ActionResult<T> = { ok: true; value: T } | { ok: false; status: number; error: AppError };

const toAction = <T,>(result: Result<T>): ActionResult<T> => (result.ok ? result : { ok: false, status: HTTP_STATUS[result.error.kind], error: result.error });

const idempotencyKey = z.string().regex(/^[\w.:-]{1,100}$/).optional();
const decideInput = z.object({ quoteId: quoteIdSchema, decision: z.enum(DECISIONS), reason: z.string().optional(), idempotencyKey });
const retryInput = z.object({ quoteId: quoteIdSchema, idempotencyKey });

const notUnderstood = (error: z.ZodError): AppError => ({ kind: "validation", detail: "The request was not understood.", errors: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });

const invalid = (error: z.ZodError): ActionResult<never> => ({ ok: false, status: 400, error: notUnderstood(error) });

/** A span per agent's server action ("server action approve"), inside Next's span of the POST (a no-op without tracing). */
const actionSpan = <T,>(name: string, quoteId: string, work: () => Promise<T>) => inSpan(`server action ${name}`, { attributes: { "quote.id": quoteId } }, work);

/** Approve, reject or refer a quote: the session is checked here, on the server, before anything else. */
export async function decideQuoteAction(input: z.input<typeof decideInput>): Promise<ActionResult<DecisionResponse>> {
  const check = await agentForAction();
  if (!check.ok) return toAction(check);
  const parsed = decideInput.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { quoteId, decision, reason, idempotencyKey } = parsed.data;
  const body = reason === undefined ? {} : { reason };
  return toAction(await actionSpan(decision, quoteId, () => decideQuote(check.session, decision, quoteId, body, { idempotencyKey })));
}

/** Asks for the quote's application number again after the external service failed. */
export async function agentRetryApplicationNumberAction(input: z.input<typeof retryInput>): Promise<ActionResult<QuoteVersionResponse>> {
  const check = await agentForAction();
  if (!check.ok) return toAction(check);
  const parsed = retryInput.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { quoteId } = parsed.data;
  return toAction(await actionSpan("RequestApplicationNumber", quoteId, () => requestApplicationNumberAsAgent(check.session, quoteId, { idempotencyKey: parsed.data.idempotencyKey })));
}

/** What the decision panel shows after a decision posted without JavaScript was refused. */
export interface DecisionFormState {
  /** The reason as the agent typed it, to show again. */
  reason: string;
  error: AppError | null;
}

const decisionForm = z.object({ quoteId: quoteIdSchema, decision: z.enum(DECISIONS), reason: z.string(), version: z.coerce.number().int().nonnegative().optional() });

/**
 * The decision panel posted before JavaScript loaded: the button pressed names the decision. Once decided, the quote's
 * page opens again (after the read side has the decision, so it shows it).
 */
export async function decideQuoteWithForm(_previous: DecisionFormState, formData: FormData): Promise<DecisionFormState> {
  const field = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const reason = field("reason") ?? "";
  const check = await agentForAction();
  if (!check.ok) return { reason, error: check.error };
  const parsed = decisionForm.safeParse({ quoteId: field("quoteId"), decision: field("decision"), reason, version: field("version") || undefined });
  if (!parsed.success) return { reason, error: notUnderstood(parsed.error) };
  const { quoteId, decision, version } = parsed.data;
  // Posting the same form twice (a double click) is one decision: the key is what the form says, by whom, at which version.
  const idempotencyKey = formSubmissionKey("decide", check.session.actor.agentId, quoteId, version, decision, parsed.data.reason);
  const result = await actionSpan(decision, quoteId, () => decideQuote(check.session, decision, quoteId, { reason: parsed.data.reason }, { idempotencyKey }));
  if (!result.ok) return { reason, error: result.error };
  await quoteView(check.session, quoteId, result.value.version);
  redirect(`/admin/quotes/${encodeURIComponent(quoteId)}`);
}
