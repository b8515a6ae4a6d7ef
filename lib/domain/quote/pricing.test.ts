import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COUNTRY_CODES, REGIONS_BY_COUNTRY, type CountryCode } from "../../../schemas/quote";
import type { Premium } from "./premium";
import { applyFactor, priceQuote, type PricingInput } from "./pricing";
import { RATES } from "./rates";

const family = (numberOfDependents: number, spouseName?: string) => ({ numberOfDependents, spouseName });
const at = (country: CountryCode, state: string) => ({ country, state });

/** Replays the breakdown as documented on PremiumLine: base sets, factor multiplies (half-up cents), amount adds. */
function replayBreakdownInCents(premium: Premium): number {
  let cents = 0;
  for (const line of premium.breakdown) {
    if (line.kind === "base") cents = Math.round(line.value * 100);
    if (line.kind === "factor") cents = Math.floor((cents * Math.round(line.value * 10_000) + 5_000) / 10_000);
    if (line.kind === "amount") cents += Math.round(line.value * 100);
  }
  return cents;
}

const hasAtMostTwoDecimals = (amount: number) => Math.abs(amount * 100 - Math.round(amount * 100)) < 1e-9;

describe("priceQuote", () => {
  it("prices a family of four in California", () => {
    // 120.00 × 1.15 = 138.00; × 1.6 = 220.80; + 2 × 35.00 = 290.80
    assert.deepEqual(priceQuote({ geographic: at("US", "CA"), family: family(2, "Grace") }), {
      currency: "USD",
      monthly: 290.8,
      annual: 3489.6,
      breakdown: [
        {
          label: "Base rate (US)",
          kind: "base",
          value: 120,
          description: "Monthly base rate for cover in the United States",
        },
        {
          label: "Region factor (California)",
          kind: "factor",
          value: 1.15,
          description: "Cover costs more than average in California",
        },
        { label: "Spouse", kind: "factor", value: 1.6, description: "Adds cover for your spouse" },
        { label: "Dependents (2)", kind: "amount", value: 70, description: "2 dependents at 35.00 USD a month each" },
      ],
    });
  });

  it("prices a single person in Ontario in Canadian dollars, with no spouse or dependent lines", () => {
    const premium = priceQuote({ geographic: at("CA", "ON"), family: family(0) });
    assert.equal(premium.currency, "CAD");
    assert.equal(premium.monthly, 118.8); // 110.00 × 1.08
    assert.equal(premium.annual, 1425.6);
    assert.deepEqual(
      premium.breakdown.map((line) => line.label),
      ["Base rate (CA)", "Region factor (Ontario)"],
    );
  });

  it("prices in pounds in the UK and stops charging beyond the dependents cap", () => {
    // 90.00 × 0.94 = 84.60; × 1.6 = 135.36; + 4 (of 5) × 25.00 = 235.36
    const premium = priceQuote({ geographic: at("GB", "WLS"), family: family(5, "Sam") });
    assert.equal(premium.currency, "GBP");
    assert.equal(premium.monthly, 235.36);
    assert.equal(premium.annual, 2824.32);
    const dependents = premium.breakdown.at(-1);
    assert.equal(dependents?.label, "Dependents (5)");
    assert.equal(dependents?.value, 100);
    assert.match(dependents?.description ?? "", /4 of your 5 dependents .* at most 4/);
  });

  it("uses the default region factor for a region the table does not list", () => {
    const premium = priceQuote({ geographic: at("US", "OH"), family: family(0) });
    assert.equal(premium.monthly, 120);
    assert.deepEqual(premium.breakdown[1], {
      label: "Region factor (Ohio)",
      kind: "factor",
      value: RATES.defaultRegionFactor,
      description: "Cover in Ohio costs the standard rate",
    });
  });

  it("is deterministic", () => {
    const input: PricingInput = { geographic: at("US", "NY"), family: family(3, "Lee") };
    assert.deepEqual(priceQuote(input), priceQuote(input));
  });

  it("never charges less for more dependents, and charges more for each one up to the cap", () => {
    for (const country of COUNTRY_CODES) {
      for (const region of REGIONS_BY_COUNTRY[country]) {
        for (const spouseName of [undefined, "Pat"]) {
          let previous = -1;
          for (let dependents = 0; dependents <= 12; dependents++) {
            const { monthly } = priceQuote({
              geographic: at(country, region.code),
              family: family(dependents, spouseName),
            });
            const where = `${country}/${region.code}, spouse: ${spouseName ?? "none"}, ${dependents} dependents`;
            assert.ok(monthly >= previous, `premium went down at ${where}`);
            if (dependents > 0 && dependents <= RATES.maxChargedDependents) assert.ok(monthly > previous, where);
            previous = monthly;
          }
        }
      }
    }
  });

  it("a spouse never costs less than no spouse", () => {
    for (const country of COUNTRY_CODES) {
      for (const region of REGIONS_BY_COUNTRY[country]) {
        const alone = priceQuote({ geographic: at(country, region.code), family: family(1) }).monthly;
        const couple = priceQuote({ geographic: at(country, region.code), family: family(1, "Pat") }).monthly;
        assert.ok(couple > alone, `${country}/${region.code}`);
      }
    }
  });

  it("the breakdown lines multiply and add up to the monthly total; the annual is twelve months", () => {
    for (const country of COUNTRY_CODES) {
      for (const region of REGIONS_BY_COUNTRY[country]) {
        for (const [dependents, spouseName] of [[0, undefined], [1, "Pat"], [7, undefined], [12, "Kim"]] as const) {
          const premium = priceQuote({ geographic: at(country, region.code), family: family(dependents, spouseName) });
          const monthlyCents = replayBreakdownInCents(premium);
          assert.equal(Math.round(premium.monthly * 100), monthlyCents, `${country}/${region.code}`);
          assert.equal(Math.round(premium.annual * 100), monthlyCents * RATES.monthsPerYear);
          assert.ok(hasAtMostTwoDecimals(premium.monthly) && hasAtMostTwoDecimals(premium.annual));
          assert.equal(premium.breakdown[0]?.kind, "base");
        }
      }
    }
  });
});

describe("applyFactor", () => {
  it("multiplies in integer cents without float drift", () => {
    assert.equal(applyFactor(120_00, 1.15), 138_00); // 12000 * 1.15 is 13799.999... in floating point
    assert.equal(applyFactor(1_00, 1.005), 1_01); // 100.5 rounds half up
    assert.equal(applyFactor(123_45, 1.1), 135_80); // 13579.5 rounds half up
    assert.equal(applyFactor(84_60, 1.6), 135_36);
  });
});

describe("the rate table", () => {
  it("prices every supported country in its own currency", () => {
    assert.deepEqual(
      Object.fromEntries(COUNTRY_CODES.map((c) => [c, RATES.countries[c].currency])),
      { US: "USD", CA: "CAD", GB: "GBP" },
    );
  });

  it("names only regions that exist, with positive factors of at most four decimals", () => {
    for (const country of COUNTRY_CODES) {
      const known = new Set(REGIONS_BY_COUNTRY[country].map((r) => r.code));
      for (const [code, factor] of Object.entries(RATES.countries[country].regionFactors)) {
        assert.ok(known.has(code), `${code} is not a region of ${country}`);
        assert.ok(factor > 0 && Math.abs(factor * 10_000 - Math.round(factor * 10_000)) < 1e-6, `${country}/${code}`);
      }
    }
  });

  it("keeps money in whole cents", () => {
    for (const country of COUNTRY_CODES) {
      const rates = RATES.countries[country];
      assert.ok(Number.isInteger(rates.baseMonthlyCents) && rates.baseMonthlyCents > 0);
      assert.ok(Number.isInteger(rates.perDependentMonthlyCents) && rates.perDependentMonthlyCents > 0);
    }
  });
});
