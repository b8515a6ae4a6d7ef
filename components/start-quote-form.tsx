"use client";

import { useActionState, useEffect, useRef } from "react";
import { toast } from "./toasts/toast";
import { scriptedGeographicForm } from "./wizard/form-scripts";
import { startQuoteAction, type StartQuoteState } from "@/app/(customer)/_actions/start-quote";

/** "Get a quote": a form posting to the start action (works before hydration too); one quote per click. */
export function StartQuoteForm() {
  const [state, formAction, pending] = useActionState<StartQuoteState, FormData>(startQuoteAction, { error: null });
  const submitted = useRef(false);
  useEffect(() => {
    if (!pending) submitted.current = false;
  }, [pending]);
  useEffect(() => {
    if (state.error) toast.error("We couldn't start your quote", { description: state.error });
  }, [state]);

  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        // A double click would start two quotes: only the first submission goes through.
        if (submitted.current) event.preventDefault();
        submitted.current = true;
        // The first page's form script, loaded while the quote starts, so that page shows with it.
        scriptedGeographicForm.load().catch(() => {});
      }}
      className="start-quote"
    >
      {state.error ? (
        <p className="field-error" role="alert">
          {state.error}
        </p>
      ) : null}
      <button type="submit" className="button button--start" aria-disabled={pending || undefined}>
        Get a quote
      </button>
      <span className="saving-status" role="status">
        {pending ? "Starting your quote…" : ""}
      </span>
    </form>
  );
}
