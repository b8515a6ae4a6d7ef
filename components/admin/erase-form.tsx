"use client";

import { useActionState } from "react";
import { eraseWithForm, type ErasureFormState } from "@/app/(agent)/admin/erasure-actions";
import type { AdminQuoteView } from "@/lib/agent/queries";

const NOTHING_POSTED: ErasureFormState = { reason: "", error: null };

/**
 * Erasing the quote's personal data when the customer asks an agent to: a reason and a confirmation, in a plain form
 * posting to a server action (it works without JavaScript). Once erased, the page says so instead.
 */
export function EraseForm({ quote }: { quote: AdminQuoteView }) {
  const [posted, post, pending] = useActionState(eraseWithForm, NOTHING_POSTED);
  if (quote.personalDataErased) return <p data-testid="personal-data-erased">This quote&apos;s personal data was erased. Its status, premium and decision remain.</p>;
  const errorOf = (path: string) => (posted.error?.kind === "validation" ? posted.error.errors.find((e) => e.path === path)?.message : undefined);
  const reasonError = errorOf("reason");
  const confirmError = errorOf("confirm");
  const problem = posted.error && !reasonError && !confirmError ? (posted.error.kind === "unauthorized" ? "Your session has ended. Sign in again, then erase the data." : posted.error.detail) : null;
  return (
    <details open={posted.error !== null}>
      <summary>Erase the customer&apos;s personal data</summary>
      <form action={post} noValidate>
        <p className="hint">
          The email, phone number, city, ZIP code, names and notes become unreadable everywhere, for good. The status, premium, decision and application
          number remain.
        </p>
        {problem && (
          <div className="alert" role="alert" data-testid="erase-problem">
            <p>{problem}</p>
          </div>
        )}
        <input type="hidden" name="quoteId" value={quote.quoteId} />
        <input type="hidden" name="version" value={quote.version} />
        <div className={`field${reasonError ? " invalid" : ""}`}>
          <label htmlFor="erase-reason">Who asked, and why</label>
          {reasonError && (
            <p className="field-error" id="erase-reason-error">
              {reasonError}
            </p>
          )}
          <textarea id="erase-reason" name="reason" key={posted.reason} defaultValue={posted.reason} aria-invalid={reasonError ? true : undefined} aria-describedby={reasonError ? "erase-reason-error" : undefined} />
        </div>
        <div className={`field${confirmError ? " invalid" : ""}`}>
          {confirmError && (
            <p className="field-error" id="erase-confirm-error">
              {confirmError}
            </p>
          )}
          <label>
            <input type="checkbox" name="confirm" value="yes" aria-invalid={confirmError ? true : undefined} aria-describedby={confirmError ? "erase-confirm-error" : undefined} /> I understand this
            cannot be undone
          </label>
        </div>
        <button type="submit" className="button reject" disabled={pending}>
          Erase personal data
        </button>
      </form>
    </details>
  );
}
