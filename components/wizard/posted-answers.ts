/**
 * What a wizard page's server action answered the form posted to it (before the page's script took over), placed
 * as the form shows it: each field's message, and the messages about the whole form, a refusal's included.
 */
import type { PageFormState } from "@/lib/customer/page-form-state";
import { placePostedErrors, type PlacedErrors } from "../forms/posted-field-errors";
import { describeSaveError, RefusedError } from "./errors";

export function placePostedAnswers(posted: PageFormState<unknown>, fieldOrder: readonly string[], toFieldPath?: (path: string) => string): PlacedErrors {
  const placed = placePostedErrors(posted.errors, fieldOrder, toFieldPath);
  if (posted.refusal) {
    const { title, description } = describeSaveError(new RefusedError(posted.refusal));
    placed.unplaced.push(`${title}. ${description}`);
  }
  return placed;
}
