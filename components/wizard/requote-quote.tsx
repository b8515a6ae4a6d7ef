"use client";

import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import { requoteQuoteForm, type RequoteFormState } from "@/app/(customer)/_actions/requote-quote";

const NOTHING_POSTED: RequoteFormState = { refusal: null };

function RequoteButton() {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className="button" disabled={pending} aria-disabled={pending}>
      Start a new quote with these answers
    </button>
  );
}

/** On an expired quote's outcome page: a new quote begun with its answers, a plain form post to a server action. */
export function RequoteQuote({ quoteId }: { quoteId: string }) {
  const [posted, post] = useActionState(requoteQuoteForm, NOTHING_POSTED);
  return (
    <form action={post} className="requote">
      <input type="hidden" name="quoteId" value={quoteId} />
      {posted.refusal ? (
        <p className="error-message" role="alert">
          {posted.refusal}
        </p>
      ) : null}
      <RequoteButton />
    </form>
  );
}
