import type { GeographicFormValues } from "@/lib/customer/wizard-form-values";
import { COUNTRIES, POSTCODE_LABEL_BY_COUNTRY, REGION_LABEL_BY_COUNTRY, REGIONS_BY_COUNTRY, type CountryCode } from "@/schemas/countries";
import { SelectField, TextField, type FieldRegistration } from "../forms/fields";

export const GEOGRAPHIC_FORM_ID = "geographic-form";

/** Before a country is chosen and without the script to narrow the list, every country's regions, under its name. */
const EVERY_REGION = COUNTRIES.map((c) => ({ label: c.name, options: REGIONS_BY_COUNTRY[c.code].map((r) => ({ value: r.code, label: r.name })) }));

interface GeographicFieldsProps {
  registration: Record<keyof GeographicFormValues, FieldRegistration>;
  error: (name: keyof GeographicFormValues) => string | undefined;
  /** The values rendered into the inputs. */
  defaults: GeographicFormValues;
  /** The chosen country; null before one is chosen. */
  country: CountryCode | null;
  /** The script is running: it narrows the regions to the chosen country. */
  scripted: boolean;
}

/** The location page's inputs, the same with and without the page's script. */
export function GeographicFields({ registration, error, defaults, country, scripted }: GeographicFieldsProps) {
  const everyRegion = !scripted && !country;
  const regionLabel = everyRegion ? "State, province or nation" : REGION_LABEL_BY_COUNTRY[country ?? "US"];
  const postcodeLabel = everyRegion ? "ZIP code, postal code or postcode" : POSTCODE_LABEL_BY_COUNTRY[country ?? "US"];
  const regions = country ? REGIONS_BY_COUNTRY[country] : [];
  return (
    <>
      <SelectField
        id="country"
        label="Country"
        hint="We cover families in the United States, Canada and the United Kingdom."
        error={error("country")}
        placeholder="Select a country"
        options={COUNTRIES.map((c) => ({ value: c.code, label: c.name }))}
        autoComplete="country"
        defaultValue={defaults.country}
        registration={registration.country}
      />
      <SelectField
        id="state"
        label={regionLabel}
        error={error("state")}
        placeholder={country ? `Select a ${regionLabel.toLowerCase()}` : everyRegion ? "Select a state, province or nation" : "Select a country first"}
        options={regions.map((r) => ({ value: r.code, label: r.name }))}
        groups={everyRegion ? EVERY_REGION : []}
        autoComplete="address-level1"
        defaultValue={defaults.state}
        registration={registration.state}
      />
      <TextField id="city" label="City" error={error("city")} autoComplete="address-level2" className="field--wide" defaultValue={defaults.city} registration={registration.city} />
      <TextField
        id="zipCode"
        label={postcodeLabel}
        error={error("zipCode")}
        autoComplete="postal-code"
        className="field--short"
        spellCheck={false}
        defaultValue={defaults.zipCode}
        registration={registration.zipCode}
      />
    </>
  );
}
