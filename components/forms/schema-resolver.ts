/**
 * A react-hook-form resolver from a zod schema (the same schema the server's command bus uses), without
 * @hookform/resolvers: parse, and on failure put each message at its field's path in the form.
 */
import { get, set, type FieldErrors, type FieldValues, type Resolver } from "react-hook-form";
import type { z } from "zod";

export interface SchemaResolverOptions<Form> {
  /** The form's values as the schema expects them (e.g. text → number, [{name}] → [name]). */
  toInput?: (values: Form) => unknown;
  /** A schema path ("childrenNames.1") → the form's field name ("childrenNames.1.name"); "" drops it. */
  toFieldPath?: (path: string) => string;
}

export function schemaResolver<Form extends FieldValues, Schema extends z.ZodType>(schema: Schema, options: SchemaResolverOptions<Form> = {}): Resolver<Form, unknown, z.output<Schema>> {
  return (values) => {
    const parsed = schema.safeParse(options.toInput ? options.toInput(values) : values);
    if (parsed.success) return { values: parsed.data, errors: {} };
    const errors: FieldErrors<Form> = {};
    for (const issue of parsed.error.issues) {
      const schemaPath = issue.path.map(String).join(".");
      const name = options.toFieldPath ? options.toFieldPath(schemaPath) : schemaPath;
      if (!name || get(errors, `${name}.message`)) continue; // the first message per field is the one to show
      set(errors, name, { type: issue.code, message: issue.message });
    }
    return { values: {}, errors };
  };
}

/**
 * Server field errors (paths relative to the page's details) onto the form: each lands at its field and the
 * first one in the form's order takes focus. Returns the messages that belong to no field of the form.
 */
export function applyServerErrors(
  setError: (name: never, error: { type: string; message: string }, options?: { shouldFocus?: boolean }) => void,
  errors: ReadonlyArray<{ path: string; message: string }>,
  fieldOrder: readonly string[],
  toFieldPath: (path: string) => string = (path) => path,
): string[] {
  const rank = (name: string) => {
    const index = fieldOrder.findIndex((field) => name === field || name.startsWith(`${field}.`));
    return index === -1 ? fieldOrder.length : index;
  };
  const mapped = errors
    .map((error) => ({ name: toFieldPath(error.path), message: error.message }))
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name, "en", { numeric: true }));
  const unplaced: string[] = [];
  mapped.forEach((error, index) => {
    // Errors about the whole form (path "") or fields this page does not show go to a notice above the form.
    if (rank(error.name) === fieldOrder.length) unplaced.push(error.message);
    else setError(error.name as never, { type: "server", message: error.message }, { shouldFocus: index === 0 });
  });
  return unplaced;
}
