"use client";

import { useActionState } from "react";
import { addNoteWithForm, type WorkQueueFormState } from "@/app/(agent)/admin/work-queue-actions";
import type { AdminQuoteView } from "@/lib/agent/queries";
import { MAX_NOTE_LENGTH } from "@/schemas/admin";

const NOTHING_POSTED: WorkQueueFormState = { note: "", error: null };

/**
 * A note on the quote, for the agents. A plain form posting to a server action, so it works before (or without)
 * JavaScript; a refusal comes back with the text as typed. The note then shows on the timeline.
 */
export function NoteForm({ quote }: { quote: AdminQuoteView }) {
  const [posted, post, pending] = useActionState(addNoteWithForm, NOTHING_POSTED);
  const noteError = posted.error?.kind === "validation" ? posted.error.errors.find((e) => e.path === "note")?.message : undefined;
  const problem = posted.error && !noteError ? (posted.error.kind === "unauthorized" ? "Your session has ended. Sign in again, then add the note." : posted.error.detail) : null;
  return (
    <form action={post} noValidate>
      {problem && (
        <div className="alert" role="alert" data-testid="note-problem">
          <p>{problem}</p>
        </div>
      )}
      <input type="hidden" name="quoteId" value={quote.quoteId} />
      <input type="hidden" name="version" value={quote.version} />
      <div className={`field${noteError ? " invalid" : ""}`}>
        <label htmlFor="note">Add a note</label>
        <span className="hint" id="note-hint">
          For the agents: shown on the timeline with your name. Up to {MAX_NOTE_LENGTH} characters.
        </span>
        {noteError && (
          <p className="field-error" id="note-error">
            {noteError}
          </p>
        )}
        <textarea
          id="note"
          name="note"
          key={posted.note}
          defaultValue={posted.note}
          maxLength={MAX_NOTE_LENGTH + 50}
          aria-invalid={noteError ? true : undefined}
          aria-describedby={noteError ? "note-hint note-error" : "note-hint"}
        />
      </div>
      <button type="submit" className="button" disabled={pending}>
        Add note
      </button>
    </form>
  );
}
