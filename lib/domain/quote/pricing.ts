/** The premium of a quote, from where the customer lives and who is covered. Pure and deterministic. */
import { regionName, type CountryCode, type FamilyDetails, type GeographicDetails } from "../../../schemas/quote";
import type { Premium, PremiumLine } from "./premium";
import { RATES, type RateTable } from "./rates";

export interface PricingInput {
  geographic: Pick<GeographicDetails, "country" | "state">;
  family: Pick<FamilyDetails, "numberOfDependents" | "spouseName">;
}

const BASIS_POINTS = 10_000;

const IN_COUNTRY: Record<CountryCode, string> = { US: "the United States", CA: "Canada", GB: "the United Kingdom" };

/** A factor as an integer number of basis points (1.15 → 11500), so multiplying cents stays in integers. */
function toBasisPoints(factor: number): number {
  return Math.round(factor * BASIS_POINTS);
}

/** cents × factor, rounded to the cent, half up. Exact: integer arithmetic only. */
export function applyFactor(cents: number, factor: number): number {
  const scaled = cents * toBasisPoints(factor);
  return Math.floor((scaled + BASIS_POINTS / 2) / BASIS_POINTS);
}

const toAmount = (cents: number) => cents / 100;
const formatAmount = (cents: number) => toAmount(cents).toFixed(2);

export function priceQuote(input: PricingInput, rates: RateTable = RATES): Premium {
  const { country, state } = input.geographic;
  const { numberOfDependents, spouseName } = input.family;
  const countryRates = rates.countries[country];
  const { currency } = countryRates;
  const breakdown: PremiumLine[] = [];

  let monthlyCents = countryRates.baseMonthlyCents;
  breakdown.push({
    label: `Base rate (${country})`,
    kind: "base",
    value: toAmount(monthlyCents),
    description: `Monthly base rate for cover in ${IN_COUNTRY[country]}`,
  });

  const region = regionName(country, state) ?? state;
  const regionFactor = countryRates.regionFactors[state] ?? rates.defaultRegionFactor;
  monthlyCents = applyFactor(monthlyCents, regionFactor);
  breakdown.push({
    label: `Region factor (${region})`,
    kind: "factor",
    value: regionFactor,
    description:
      regionFactor > 1
        ? `Cover costs more than average in ${region}`
        : regionFactor < 1
          ? `Cover costs less than average in ${region}`
          : `Cover in ${region} costs the standard rate`,
  });

  const hasSpouse = spouseName !== undefined && spouseName.trim() !== "";
  if (hasSpouse) {
    monthlyCents = applyFactor(monthlyCents, rates.spouseFactor);
    breakdown.push({
      label: "Spouse",
      kind: "factor",
      value: rates.spouseFactor,
      description: "Adds cover for your spouse",
    });
  }

  if (numberOfDependents > 0) {
    const charged = Math.min(numberOfDependents, rates.maxChargedDependents);
    const perDependent = countryRates.perDependentMonthlyCents;
    const addedCents = charged * perDependent;
    monthlyCents += addedCents;
    const each = `${formatAmount(perDependent)} ${currency} a month each`;
    breakdown.push({
      label: `Dependents (${numberOfDependents})`,
      kind: "amount",
      value: toAmount(addedCents),
      description:
        charged < numberOfDependents
          ? `${charged} of your ${numberOfDependents} dependents at ${each}: ` +
            `we charge for at most ${rates.maxChargedDependents}`
          : `${charged} ${charged === 1 ? "dependent" : "dependents"} at ${each}`,
    });
  }

  return {
    currency,
    monthly: toAmount(monthlyCents),
    annual: toAmount(monthlyCents * rates.monthsPerYear),
    breakdown,
  };
}
