/**
 * The countries we cover and what each calls its regions and postcodes: the few words a page needs to show a
 * place, apart from the long lists of regions in countries.ts (which only the forms that offer them load).
 */

export const COUNTRY_CODES = ["US", "CA", "GB"] as const;
export type CountryCode = (typeof COUNTRY_CODES)[number];

export interface Country {
  code: CountryCode;
  name: string;
}

export const COUNTRIES: readonly Country[] = [
  { code: "US", name: "United States" },
  { code: "CA", name: "Canada" },
  { code: "GB", name: "United Kingdom" },
];

/** What a region is called in each country, for labels and messages. */
export const REGION_LABEL_BY_COUNTRY: Readonly<Record<CountryCode, string>> = {
  US: "State",
  CA: "Province or territory",
  GB: "Nation",
};

/** What a postcode is called in each country, for labels and messages. */
export const POSTCODE_LABEL_BY_COUNTRY: Readonly<Record<CountryCode, string>> = {
  US: "ZIP code",
  CA: "Postal code",
  GB: "Postcode",
};

export function isCountryCode(value: unknown): value is CountryCode {
  return typeof value === "string" && (COUNTRY_CODES as readonly string[]).includes(value);
}

export function countryName(country: CountryCode): string {
  return COUNTRIES.find((c) => c.code === country)?.name ?? country;
}

