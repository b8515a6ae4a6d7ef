/**
 * Field errors a server action returned for a form posted without JavaScript, placed as the form shows them: each
 * field's first message by its name in the form, and the messages that belong to no field of the form.
 */
import type { FieldError } from "@/lib/cqrs/app-error";

export interface PlacedErrors {
  byField: Record<string, string>;
  unplaced: string[];
}

export function placePostedErrors(errors: readonly FieldError[], fieldOrder: readonly string[], toFieldPath: (path: string) => string = (path) => path): PlacedErrors {
  const placed: PlacedErrors = { byField: {}, unplaced: [] };
  for (const error of errors) {
    const name = toFieldPath(error.path);
    const known = fieldOrder.some((field) => name === field || name.startsWith(`${field}.`));
    if (!known) placed.unplaced.push(error.message);
    else if (!(name in placed.byField)) placed.byField[name] = error.message;
  }
  return placed;
}
