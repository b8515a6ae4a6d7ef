/**
 * The one react-hook-form resolver from a zod schema, the same schema the server checks with (the wizard's pages,
 * the agents' sign-in): parse, and on failure put each message at its field's path in the form. Not
 * @hookform/resolvers: it takes the schema as a loader, so a page can keep zod out of its first load, and it maps
 * schema paths onto field names (a child's name is `childrenNames.1.name` in the form).
 */
import { get, set, type FieldErrors, type FieldValues, type Resolver } from "react-hook-form";

/** What the resolver needs of a schema: zod's and zod/mini's schemas both parse with `safeParse`. */
export interface ParsingSchema<Output> {
  safeParse(data: unknown):
    | { success: true; data: Output }
    | { success: false; error: { issues: ReadonlyArray<{ code: string; path: readonly PropertyKey[]; message: string }> } };
}

export interface SchemaResolverOptions<Form> {
  /** The form's values as the schema expects them (e.g. text → number, [{name}] → [name]). */
  toInput?: (values: Form) => unknown;
  /** A schema path ("childrenNames.1") → the form's field name ("childrenNames.1.name"); "" drops it. */
  toFieldPath?: (path: string) => string;
}

export function schemaResolver<Form extends FieldValues, Output>(
  loadSchema: () => Promise<ParsingSchema<Output>>,
  options: SchemaResolverOptions<Form> = {},
): Resolver<Form, unknown, Output> {
  return async (values) => {
    const input = options.toInput ? options.toInput(values) : values;
    let schema: ParsingSchema<Output>;
    try {
      schema = await loadSchema();
    } catch {
      // The browser's check could not be loaded (the connection dropped): the server checks the answers with the
      // same rules and its field errors land on the form.
      return { values: input as Output, errors: {} };
    }
    const parsed = schema.safeParse(input);
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
