import type { ContactFormValues } from "@/lib/customer/wizard-form-values";
import { TextField, type FieldRegistration } from "../forms/fields";

export const CONTACT_FORM_ID = "contact-form";

interface ContactFieldsProps {
  registration: Record<keyof ContactFormValues, FieldRegistration>;
  error: (name: keyof ContactFormValues) => string | undefined;
  /** The values rendered into the inputs. */
  defaults: ContactFormValues;
}

/** The contact page's inputs, the same with and without the page's script. */
export function ContactFields({ registration, error, defaults }: ContactFieldsProps) {
  return (
    <>
      <TextField
        id="email"
        label="Email"
        hint="We'll send your quote and its application number here."
        type="email"
        autoComplete="email"
        spellCheck={false}
        className="field--wide"
        error={error("email")}
        defaultValue={defaults.email}
        registration={registration.email}
      />
      <TextField
        id="phoneNumber"
        label="Phone number"
        hint="Include the country code if you are outside the United States, like +44 20 7946 0958."
        type="tel"
        autoComplete="tel"
        className="field--medium"
        error={error("phoneNumber")}
        defaultValue={defaults.phoneNumber}
        registration={registration.phoneNumber}
      />
    </>
  );
}
