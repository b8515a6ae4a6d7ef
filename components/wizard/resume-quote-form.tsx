"use client";

import { useActionState, useEffect, useState } from "react";
import { resumeQuoteAction, type ResumeQuoteState } from "@/app/(customer)/_actions/resume-links";

/**
 * Confirms a resume link on this device. The code comes from the link's fragment, copied into the field once the
 * page runs (and taken out of the address bar); without JavaScript the customer pastes the code shown with the link.
 */
export function ResumeQuoteForm({ quoteId }: { quoteId: string }) {
  const [state, formAction, pending] = useActionState<ResumeQuoteState, FormData>(resumeQuoteAction, { error: null, fieldError: null });
  const [code, setCode] = useState("");
  useEffect(() => {
    const fromLink = window.location.hash.slice(1);
    if (fromLink) {
      // eslint-disable-next-line react-hooks/set-state-in-effect -- the fragment exists only in the browser
      setCode(fromLink);
      window.history.replaceState(null, "", window.location.pathname);
    }
  }, []);
  return (
    <form action={formAction} className="resume-form">
      <input type="hidden" name="quoteId" value={quoteId} />
      {state.error ? (
        <div className="notice notice--error" role="alert">
          <p>{state.error}</p>
        </div>
      ) : null}
      <label className="field-label" htmlFor="resume-code">
        Resume code
      </label>
      <input
        id="resume-code"
        name="resumeCode"
        className="input"
        autoComplete="off"
        spellCheck={false}
        required
        value={code}
        onChange={(event) => setCode(event.target.value)}
        aria-invalid={state.fieldError ? true : undefined}
        aria-describedby={state.fieldError ? "resume-code-error" : undefined}
      />
      {state.fieldError ? (
        <p id="resume-code-error" className="field-error">
          {state.fieldError}
        </p>
      ) : null}
      <button type="submit" className="button" aria-disabled={pending || undefined}>
        Continue my quote
      </button>
    </form>
  );
}
