import type { Ref } from "react";
import { ADD_CHILD_INTENT, FAMILY_INTENT_FIELD, REMOVE_CHILD_INTENT } from "@/lib/customer/wizard-form-names";
import type { FamilyFormValues } from "@/lib/customer/wizard-form-values";
import { MAX_DEPENDENTS } from "@/schemas/quote-limits";
import { ErrorMessage, TextField, type FieldRegistration } from "../forms/fields";

export const FAMILY_FORM_ID = "family-form";

export type FamilyFieldName = "numberOfDependents" | "spouseName" | `childrenNames.${number}.name`;

interface FamilyFieldsProps {
  registration: (name: FamilyFieldName) => FieldRegistration;
  error: (name: FamilyFieldName) => string | undefined;
  /** The message about the children's list as a whole. */
  listError: string | undefined;
  /** The values rendered into the inputs. */
  defaults: Omit<FamilyFormValues, "childrenNames">;
  /** One row per child: its React key and the name rendered into its input. */
  rows: ReadonlyArray<{ key: string; name: string }>;
  /** The script is running: "Add child" and "Remove" change the list in place (onAdd, onRemove). */
  scripted: boolean;
  onAdd?: () => void;
  onRemove?: (index: number) => void;
  addButtonRef?: Ref<HTMLButtonElement>;
}

/**
 * Without the script, "Add child" and "Remove" post the form (the server sends it back with the row added or taken
 * away); with it, they change the list in place. `intent` says which button posted.
 */
function listButton(scripted: boolean, intent: string) {
  return scripted ? { type: "button" as const } : { type: "submit" as const, name: FAMILY_INTENT_FIELD, value: intent };
}

/** The family page's inputs and the children's list, the same with and without the page's script. */
export function FamilyFields({ registration, error, listError, defaults, rows, scripted, onAdd, onRemove, addButtonRef }: FamilyFieldsProps) {
  return (
    <>
      {/* Enter in a field "clicks" the form's first submit button: without the script, that must be Continue. */}
      {scripted ? null : (
        <button type="submit" className="visually-hidden" tabIndex={-1} aria-hidden="true">
          Continue
        </button>
      )}
      <TextField
        id="numberOfDependents"
        label="Number of dependents"
        hint={`Everyone who depends on you and who you want to cover, children included (up to ${MAX_DEPENDENTS}). Enter 0 if none.`}
        inputMode="numeric"
        autoComplete="off"
        className="field--short"
        error={error("numberOfDependents")}
        defaultValue={defaults.numberOfDependents}
        registration={registration("numberOfDependents")}
      />
      <TextField
        id="spouseName"
        label="Spouse name"
        hint="Leave this empty if you are not covering a spouse or partner."
        autoComplete="off"
        className="field--wide"
        error={error("spouseName")}
        defaultValue={defaults.spouseName}
        registration={registration("spouseName")}
      />
      <fieldset className={listError ? "fieldset field--error" : "fieldset"} aria-describedby={["children-hint", listError ? "children-error" : ""].filter(Boolean).join(" ")}>
        <legend className="fieldset-legend">Children&apos;s names</legend>
        <p id="children-hint" className="field-hint">
          Add one name for each child you want to cover.
        </p>
        {listError ? <ErrorMessage id="children-error">{listError}</ErrorMessage> : null}
        <div>
          {rows.map((row, index) => (
            <div key={row.key} className="child-row">
              <TextField
                id={`child-${index}`}
                label={
                  <>
                    <span className="visually-hidden">Children&apos;s names: </span>Child {index + 1}
                  </>
                }
                autoComplete="off"
                className="field--wide"
                error={error(`childrenNames.${index}.name`)}
                defaultValue={row.name}
                registration={registration(`childrenNames.${index}.name`)}
              />
              <button {...listButton(scripted, `${REMOVE_CHILD_INTENT}${index}`)} className="button button--secondary button--small" onClick={onRemove && (() => onRemove(index))}>
                Remove<span className="visually-hidden"> child {index + 1}</span>
              </button>
            </div>
          ))}
        </div>
        <button ref={addButtonRef} {...listButton(scripted, ADD_CHILD_INTENT)} className="button button--secondary" onClick={onAdd} disabled={rows.length >= MAX_DEPENDENTS}>
          Add child
        </button>
      </fieldset>
    </>
  );
}
