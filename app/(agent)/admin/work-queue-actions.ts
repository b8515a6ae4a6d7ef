"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { assignQuote } from "@/lib/agent/assignment";
import { addQuoteNote } from "@/lib/agent/notes";
import { quoteView } from "@/lib/agent/queries";
import { agentForAction } from "@/lib/auth/server";
import type { AppError } from "@/lib/cqrs/app-error";
import { formSubmissionKey } from "@/lib/customer/form-submission-key";
import { inSpan } from "@/lib/tracing/tracing";
import { quoteIdSchema } from "@/schemas/quote-commands";

/** What a note or assignment form shows after a refused post: the text as typed, and why. */
export interface WorkQueueFormState {
  note: string;
  error: AppError | null;
}

const formInput = z.object({ quoteId: quoteIdSchema, version: z.coerce.number().int().nonnegative().optional() });

const field = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : undefined;
};

const notUnderstood = (error: z.ZodError): AppError => ({ kind: "validation", detail: "The request was not understood.", errors: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });

/** Back to the quote's page once the read side has the write, so the page shows it. */
async function showQuote(session: Parameters<typeof quoteView>[0], quoteId: string, version: number): Promise<never> {
  await quoteView(session, quoteId, version);
  redirect(`/admin/quotes/${encodeURIComponent(quoteId)}`);
}

/** The note form (with or without JavaScript): a refusal is shown beside the text the agent typed. */
export async function addNoteWithForm(_previous: WorkQueueFormState, formData: FormData): Promise<WorkQueueFormState> {
  const note = field(formData, "note") ?? "";
  const check = await agentForAction();
  if (!check.ok) return { note, error: check.error };
  const parsed = formInput.safeParse({ quoteId: field(formData, "quoteId"), version: field(formData, "version") || undefined });
  if (!parsed.success) return { note, error: notUnderstood(parsed.error) };
  const { quoteId, version } = parsed.data;
  // Posting the same form twice (a double click, a repeated POST) is one note.
  const idempotencyKey = formSubmissionKey("note", check.session.actor.agentId, quoteId, version, note);
  const result = await inSpan("server action AddQuoteNote", { attributes: { "quote.id": quoteId } }, () => addQuoteNote(check.session, quoteId, { note }, { idempotencyKey }));
  if (!result.ok) return { note, error: result.error };
  return showQuote(check.session, quoteId, result.value.version);
}

/** "Assign to me" (with or without JavaScript). Pressing it when the quote is already yours changes nothing. */
export async function assignToMeWithForm(_previous: WorkQueueFormState, formData: FormData): Promise<WorkQueueFormState> {
  const check = await agentForAction();
  if (!check.ok) return { note: "", error: check.error };
  const parsed = formInput.safeParse({ quoteId: field(formData, "quoteId"), version: field(formData, "version") || undefined });
  if (!parsed.success) return { note: "", error: notUnderstood(parsed.error) };
  const { quoteId, version } = parsed.data;
  const result = await inSpan("server action AssignQuote", { attributes: { "quote.id": quoteId } }, () => assignQuote(check.session, quoteId, {}, { expectedVersion: version }));
  if (!result.ok) return { note: "", error: result.error };
  return showQuote(check.session, quoteId, result.value.version);
}
