"use client";

import { useLayoutEffect, useState } from "react";

interface TypedSoFar<Values> {
  values: Values;
  /** The field that had focus, to give it back if this form replaced the one typed into. */
  focusedId: string | null;
  selection: [number, number] | null;
}

function readForm<Values>(formId: string, read: (formData: FormData) => Values): TypedSoFar<Values> | null {
  if (typeof document === "undefined") return null;
  const form = document.getElementById(formId);
  if (!(form instanceof HTMLFormElement)) return null;
  const active = document.activeElement;
  const focused = active instanceof HTMLInputElement || active instanceof HTMLSelectElement ? active : null;
  const inForm = focused && form.contains(focused) ? focused : null;
  let selection: [number, number] | null = null;
  if (inForm instanceof HTMLInputElement && inForm.selectionStart !== null && inForm.selectionEnd !== null) selection = [inForm.selectionStart, inForm.selectionEnd];
  return { values: read(new FormData(form)), focusedId: inForm?.id || null, selection };
}

/**
 * What was typed into a form before its script took over: the form as the server rendered it, or as the browser
 * showed it while the script loaded. The script's form starts from these values; if it replaced the form typed
 * into, focus (and the caret) go back to the field that had them. Null on the server and when no such form is shown.
 */
export function useTypedSoFar<Values>(formId: string, read: (formData: FormData) => Values): Values | null {
  const [before] = useState(() => readForm(formId, read));
  useLayoutEffect(() => {
    if (!before?.focusedId || (document.activeElement && document.activeElement !== document.body)) return;
    const field = document.getElementById(before.focusedId);
    if (!(field instanceof HTMLInputElement || field instanceof HTMLSelectElement)) return;
    field.focus();
    if (field instanceof HTMLInputElement && before.selection) {
      try {
        field.setSelectionRange(...before.selection);
      } catch {
        // email and number inputs have no caret position to set
      }
    }
  }, [before]);
  return before?.values ?? null;
}
