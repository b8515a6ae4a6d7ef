/**
 * Every number pricing uses, in one table. Money is in minor units (cents, pence) so sums are exact;
 * factors are decimals with at most four places (pricing works on them in basis points, also exact).
 */
import type { CountryCode } from "../../../schemas/quote";
import type { Currency } from "./premium";

export interface CountryRates {
  currency: Currency;
  baseMonthlyCents: number;
  /** Added per dependent, after every factor (a dependent costs the same wherever the family lives). */
  perDependentMonthlyCents: number;
  /** Keyed by state / province / nation code; a region not listed gets `defaultRegionFactor`. */
  regionFactors: Readonly<Record<string, number>>;
}

export interface RateTable {
  countries: Readonly<Record<CountryCode, CountryRates>>;
  defaultRegionFactor: number;
  /** Applied when a spouse is named: cover for two adults. */
  spouseFactor: number;
  /** Dependents beyond this many are covered at no extra cost, so large families are not priced out. */
  maxChargedDependents: number;
  monthsPerYear: number;
}

export const RATES: RateTable = {
  countries: {
    US: {
      currency: "USD",
      baseMonthlyCents: 120_00,
      perDependentMonthlyCents: 35_00,
      regionFactors: {
        AK: 1.25,
        CA: 1.15,
        CT: 1.1,
        DC: 1.1,
        FL: 1.08,
        HI: 1.1,
        MA: 1.12,
        NJ: 1.12,
        NY: 1.2,
        TX: 1.05,
        WA: 1.05,
        AL: 0.93,
        AR: 0.92,
        IA: 0.95,
        ID: 0.95,
        MS: 0.9,
        WV: 0.92,
      },
    },
    CA: {
      currency: "CAD",
      baseMonthlyCents: 110_00,
      perDependentMonthlyCents: 30_00,
      regionFactors: {
        AB: 1.05,
        BC: 1.1,
        NT: 1.2,
        NU: 1.25,
        ON: 1.08,
        QC: 0.95,
        YT: 1.15,
      },
    },
    GB: {
      currency: "GBP",
      baseMonthlyCents: 90_00,
      perDependentMonthlyCents: 25_00,
      regionFactors: {
        NIR: 0.92,
        SCT: 0.96,
        WLS: 0.94,
      },
    },
  },
  defaultRegionFactor: 1.0,
  spouseFactor: 1.6,
  maxChargedDependents: 4,
  monthsPerYear: 12,
};
