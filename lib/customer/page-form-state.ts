/**
 * What a wizard page's server action answers a form posted without JavaScript, when it does not move on to the next
 * page: the customer's own values to show again, each field's error, or why nothing was saved. The page renders it
 * (useActionState), so the customer sees the same messages the browser's checks would have shown.
 */
import type { AppError, FieldError } from "../cqrs/app-error";

export interface PageFormState<Values> {
  /** The values the customer posted (or, after a conflict, the latest saved answers); null before any post. */
  values: Values | null;
  /** Field errors, paths relative to the page's details ("zipCode", "childrenNames.1"). */
  errors: FieldError[];
  /** Someone changed these answers elsewhere since the form was loaded: `values` are now the latest answers. */
  conflict: boolean;
  /** A refusal that belongs to no field (the server unavailable, the quote not found). */
  refusal: AppError | null;
  /** The version the next post is sent at (If-Match), as the form was loaded or reloaded; null before any post. */
  loadedVersion: number | null;
}

export const NOTHING_POSTED = { values: null, errors: [], conflict: false, refusal: null, loadedVersion: null } satisfies PageFormState<never>;
