/**
 * Form fields in the GOV.UK pattern: label, optional hint, the error message right above the input, and the
 * input described by both (aria-describedby) and marked aria-invalid when wrong.
 */
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";

/** react-hook-form's binding of an input, or only its name (the form as it works before its script loads). */
export type FieldRegistration = Pick<UseFormRegisterReturn, "name"> & Partial<UseFormRegisterReturn>;

interface FieldFrameProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  className?: string;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

export function ErrorMessage({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p id={id} className="field-error">
      <span className="visually-hidden">Error: </span>
      {children}
    </p>
  );
}

function FieldFrame({ id, label, hint, error, className, children }: FieldFrameProps & { children: ReactNode }) {
  return (
    <div className={["field", error ? "field--error" : "", className ?? ""].filter(Boolean).join(" ")}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage> : null}
      {children}
    </div>
  );
}

type TextFieldProps = FieldFrameProps & { registration: FieldRegistration } & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name" | "onChange" | "onBlur">;

export function TextField({ id, label, hint, error, className, registration, ...input }: TextFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <input id={id} type="text" className="input" {...input} {...registration} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} />
    </FieldFrame>
  );
}

type SelectOption = { value: string; label: string };

type SelectFieldProps = FieldFrameProps & {
  registration: FieldRegistration;
  options: ReadonlyArray<SelectOption>;
  /** Options under headings (<optgroup>), after `options`. */
  groups?: ReadonlyArray<{ label: string; options: ReadonlyArray<SelectOption> }>;
  placeholder: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "name" | "onChange" | "onBlur">;

function Options({ options }: { options: ReadonlyArray<SelectOption> }) {
  return options.map((option) => (
    <option key={option.value} value={option.value}>
      {option.label}
    </option>
  ));
}

export function SelectField({ id, label, hint, error, className, registration, options, groups = [], placeholder, ...select }: SelectFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      <select id={id} className="select" {...select} {...registration} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)}>
        <option value="">{placeholder}</option>
        <Options options={options} />
        {groups.map((group) => (
          <optgroup key={group.label} label={group.label}>
            <Options options={group.options} />
          </optgroup>
        ))}
      </select>
    </FieldFrame>
  );
}
