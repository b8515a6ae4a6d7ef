"use server";

import { formField, notUnderstood, parseQuoteForm, showQuote } from "@/lib/agent/action-form";
import { assignQuote } from "@/lib/agent/assignment";
import { addQuoteNote } from "@/lib/agent/notes";
import { agentForAction } from "@/lib/auth/server";
import type { AppError } from "@/lib/cqrs/app-error";
import { formSubmissionKey } from "@/lib/customer/form-submission-key";
import { inSpan } from "@/lib/tracing/tracing";

/** What a note or assignment form shows after a refused post: the text as typed, and why. */
export interface WorkQueueFormState {
  note: string;
  error: AppError | null;
}

/** The note form (with or without JavaScript): a refusal is shown beside the text the agent typed. */
export async function addNoteWithForm(_previous: WorkQueueFormState, formData: FormData): Promise<WorkQueueFormState> {
  const note = formField(formData, "note") ?? "";
  const check = await agentForAction();
  if (!check.ok) return { note, error: check.error };
  const parsed = parseQuoteForm(formData);
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
  const parsed = parseQuoteForm(formData);
  if (!parsed.success) return { note: "", error: notUnderstood(parsed.error) };
  const { quoteId, version } = parsed.data;
  const result = await inSpan("server action AssignQuote", { attributes: { "quote.id": quoteId } }, () => assignQuote(check.session, quoteId, {}, { expectedVersion: version }));
  if (!result.ok) return { note: "", error: result.error };
  return showQuote(check.session, quoteId, result.value.version);
}
