/**
 * Underwriting at submission: one table of rules, each saying why a quote needs an underwriter. When any rule
 * fires the quote is referred with every reason; when none does, a low-risk quote is approved straight through if
 * that is enabled, and otherwise waits for an agent. Pure: the settings come in as arguments.
 */
import type { FamilyDetails, GeographicDetails } from "../../../schemas/quote";
import type { Premium } from "./premium";

export interface UnderwritingSettings {
  /** Approve a quote no rule refers, without an agent. */
  autoApprove: boolean;
  /** Regions whose quotes always go to an underwriter: "US-FL" (a state, province or nation) or "GB" (a whole country). */
  referralRegions: readonly string[];
  /** The highest monthly premium (in the quote's currency) approved without an underwriter; null: no limit. */
  premiumLimit: number | null;
}

export const DEFAULT_UNDERWRITING_SETTINGS: UnderwritingSettings = Object.freeze({
  autoApprove: false,
  referralRegions: Object.freeze([]) as readonly string[],
  premiumLimit: 500,
});

export const MAX_DEPENDENTS_WITHOUT_REFERRAL = 6;

export interface UnderwritingInput {
  geographic: GeographicDetails;
  family: FamilyDetails;
  premium: Premium;
}

/** A rule that fired, and why, in words an agent reads on the quote page. */
export interface UnderwritingReason {
  rule: UnderwritingRuleId;
  reason: string;
}

export type UnderwritingRuleId = "many-dependents" | "referral-region" | "premium-over-limit";

interface UnderwritingRule {
  id: UnderwritingRuleId;
  /** Why the quote needs an underwriter, or null when the rule does not fire. */
  refers(input: UnderwritingInput, settings: UnderwritingSettings): string | null;
}

const regionCode = ({ country, state }: GeographicDetails) => `${country}-${state}`.toUpperCase();

export const UNDERWRITING_RULES: readonly UnderwritingRule[] = Object.freeze([
  {
    id: "many-dependents",
    refers: ({ family }) =>
      family.numberOfDependents > MAX_DEPENDENTS_WITHOUT_REFERRAL
        ? `${family.numberOfDependents} dependents: more than ${MAX_DEPENDENTS_WITHOUT_REFERRAL} need an underwriter's review`
        : null,
  },
  {
    id: "referral-region",
    refers: ({ geographic }, { referralRegions }) => {
      const listed = referralRegions.map((region) => region.trim().toUpperCase());
      const region = regionCode(geographic);
      if (listed.includes(region)) return `Region ${region} is on the referral list`;
      if (listed.includes(geographic.country.toUpperCase())) return `Country ${geographic.country} is on the referral list`;
      return null;
    },
  },
  {
    id: "premium-over-limit",
    refers: ({ premium }, { premiumLimit }) =>
      premiumLimit !== null && premium.monthly > premiumLimit
        ? `Monthly premium ${premium.monthly.toFixed(2)} ${premium.currency} is over the limit of ${premiumLimit.toFixed(2)}`
        : null,
  },
]);

export type UnderwritingOutcome =
  | { outcome: "referred"; reasons: UnderwritingReason[] }
  | { outcome: "approved"; rules: UnderwritingRuleId[] }
  | { outcome: "agent" };

export function underwrite(input: UnderwritingInput, settings: UnderwritingSettings): UnderwritingOutcome {
  const reasons = UNDERWRITING_RULES.flatMap((rule) => {
    const reason = rule.refers(input, settings);
    return reason === null ? [] : [{ rule: rule.id, reason }];
  });
  if (reasons.length > 0) return { outcome: "referred", reasons };
  if (settings.autoApprove) return { outcome: "approved", rules: UNDERWRITING_RULES.map((rule) => rule.id) };
  return { outcome: "agent" };
}
