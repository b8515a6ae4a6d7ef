import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FamilyDetails, GeographicDetails } from "../../../schemas/quote";
import { foldQuote } from "./evolve";
import { priceQuote } from "./pricing";
import { DEFAULT_QUOTE_SETTINGS, type QuoteSettings } from "./settings";
import {
  CONTACT,
  FAMILY_OF_FOUR,
  QUOTE_ID,
  SAN_FRANCISCO,
  TORONTO,
  aCompleteDraft,
  anAutomaticallyReferredQuote,
  contactDetailsCaptured,
  familyDetailsCaptured,
  geographicDetailsCaptured,
  quoteStarted,
} from "./testing/fixtures";
import { AGENT, NOW, given } from "./testing/given-when-then";
import { DEFAULT_UNDERWRITING_SETTINGS, underwrite, type UnderwritingSettings } from "./underwriting";
import { validityOf } from "./validity";

const submit = { type: "SubmitQuote", quoteId: QUOTE_ID } as const;
const settings = (underwriting: Partial<UnderwritingSettings>): QuoteSettings => ({
  ...DEFAULT_QUOTE_SETTINGS,
  underwriting: { ...DEFAULT_UNDERWRITING_SETTINGS, ...underwriting },
});
const familyOf = (numberOfDependents: number): FamilyDetails => ({ numberOfDependents, childrenNames: [] });
const draft = (geographic: GeographicDetails = SAN_FRANCISCO, family: FamilyDetails = FAMILY_OF_FOUR) => [
  quoteStarted(),
  geographicDetailsCaptured(geographic),
  contactDetailsCaptured(CONTACT),
  familyDetailsCaptured(family),
];
const submittedData = (geographic: GeographicDetails = SAN_FRANCISCO, family: FamilyDetails = FAMILY_OF_FOUR) => ({
  type: "QuoteSubmitted" as const,
  data: { premium: priceQuote({ geographic, family }), ...validityOf(NOW, DEFAULT_QUOTE_SETTINGS.validity) },
});
const sfPremium = priceQuote({ geographic: SAN_FRANCISCO, family: FAMILY_OF_FOUR });

describe("underwriting rules table", () => {
  const input = (geographic: GeographicDetails, family: FamilyDetails) => ({ geographic, family, premium: priceQuote({ geographic, family }) });

  it("refers more than 6 dependents; 6 is fine", () => {
    assert.deepEqual(underwrite(input(SAN_FRANCISCO, familyOf(7)), DEFAULT_UNDERWRITING_SETTINGS), {
      outcome: "referred",
      reasons: [{ rule: "many-dependents", reason: "7 dependents: more than 6 need an underwriter's review" }],
    });
    assert.deepEqual(underwrite(input(SAN_FRANCISCO, familyOf(6)), DEFAULT_UNDERWRITING_SETTINGS), { outcome: "agent" });
  });

  it("refers a region on the referral list, by country-region code or whole country, in any case", () => {
    const byRegion = underwrite(input(TORONTO, FAMILY_OF_FOUR), { ...DEFAULT_UNDERWRITING_SETTINGS, referralRegions: ["us-fl", " CA-ON "] });
    assert.deepEqual(byRegion, { outcome: "referred", reasons: [{ rule: "referral-region", reason: "Region CA-ON is on the referral list" }] });
    const byCountry = underwrite(input(TORONTO, FAMILY_OF_FOUR), { ...DEFAULT_UNDERWRITING_SETTINGS, referralRegions: ["CA"] });
    assert.deepEqual(byCountry, { outcome: "referred", reasons: [{ rule: "referral-region", reason: "Country CA is on the referral list" }] });
    assert.deepEqual(underwrite(input(SAN_FRANCISCO, FAMILY_OF_FOUR), { ...DEFAULT_UNDERWRITING_SETTINGS, referralRegions: ["CA-ON"] }), { outcome: "agent" });
  });

  it("refers a monthly premium over the limit; at the limit, or with no limit, it is not referred", () => {
    const over = underwrite(input(SAN_FRANCISCO, FAMILY_OF_FOUR), { ...DEFAULT_UNDERWRITING_SETTINGS, premiumLimit: sfPremium.monthly - 0.01 });
    assert.equal(over.outcome, "referred");
    assert.deepEqual(over.outcome === "referred" && over.reasons.map((r) => r.rule), ["premium-over-limit"]);
    assert.match(over.outcome === "referred" ? over.reasons[0]!.reason : "", /^Monthly premium \d+\.\d\d USD is over the limit of \d+\.\d\d$/);
    assert.deepEqual(underwrite(input(SAN_FRANCISCO, FAMILY_OF_FOUR), { ...DEFAULT_UNDERWRITING_SETTINGS, premiumLimit: sfPremium.monthly }), { outcome: "agent" });
    assert.deepEqual(underwrite(input(SAN_FRANCISCO, FAMILY_OF_FOUR), { ...DEFAULT_UNDERWRITING_SETTINGS, premiumLimit: null }), { outcome: "agent" });
  });

  it("gives every reason when several rules fire, in the table's order", () => {
    const outcome = underwrite(input(TORONTO, familyOf(9)), { autoApprove: true, referralRegions: ["CA-ON"], premiumLimit: 1 });
    assert.deepEqual(outcome.outcome === "referred" && outcome.reasons.map((r) => r.rule), ["many-dependents", "referral-region", "premium-over-limit"]);
  });

  it("approves straight through only when enabled and no rule fires, naming the rules checked", () => {
    assert.deepEqual(underwrite(input(SAN_FRANCISCO, FAMILY_OF_FOUR), { ...DEFAULT_UNDERWRITING_SETTINGS, autoApprove: true }), {
      outcome: "approved",
      rules: ["many-dependents", "referral-region", "premium-over-limit"],
    });
  });
});

describe("SubmitQuote with the underwriting rules", () => {
  it("leaves a quote no rule refers for an agent when straight-through approval is off (the default)", () => {
    given(aCompleteDraft()).when(submit).then([submittedData()]);
  });

  it("approves a low-risk quote automatically when enabled", () => {
    given(draft())
      .when(submit, { settings: settings({ autoApprove: true }) })
      .then([submittedData(), { type: "QuoteApprovedAutomatically", data: { rules: ["many-dependents", "referral-region", "premium-over-limit"] } }]);
    assert.equal(foldQuote([...draft(), submittedData(), { type: "QuoteApprovedAutomatically", data: { rules: [] } }]).status, "approved");
  });

  it("refers a quote automatically with the rules' reasons, even when straight-through approval is on", () => {
    given(draft(SAN_FRANCISCO, familyOf(8)))
      .when(submit, { settings: settings({ autoApprove: true }) })
      .then([
        submittedData(SAN_FRANCISCO, familyOf(8)),
        { type: "QuoteReferredAutomatically", data: { reasons: [{ rule: "many-dependents", reason: "8 dependents: more than 6 need an underwriter's review" }] } },
      ]);
    const state = foldQuote(anAutomaticallyReferredQuote());
    assert.equal(state.status, "referred");
    assert.equal(state.underwriting?.outcome, "referred");
    assert.equal(state.decision, null, "no agent has decided it");
  });

  it("records the validity from the settings: whole days to the end of the last day, or exact seconds", () => {
    const days = given(aCompleteDraft()).when(submit, { settings: { ...DEFAULT_QUOTE_SETTINGS, validity: { days: 30 } } }).result;
    assert.ok(days.ok && days.events[0]!.type === "QuoteSubmitted");
    assert.deepEqual(days.events[0].type === "QuoteSubmitted" && [days.events[0].data.validUntil, days.events[0].data.expiresAt], ["2026-12-26", "2026-12-27T00:00:00.000Z"]);
    const seconds = given(aCompleteDraft()).when(submit, { settings: { ...DEFAULT_QUOTE_SETTINGS, validity: { seconds: 20 } } }).result;
    assert.ok(seconds.ok && seconds.events[0]!.type === "QuoteSubmitted");
    assert.deepEqual(seconds.events[0].type === "QuoteSubmitted" && [seconds.events[0].data.validUntil, seconds.events[0].data.expiresAt], ["2026-11-26", "2026-11-26T10:00:20.000Z"]);
  });
});

describe("An agent overrides the rules' referral", () => {
  const asAgent = { actor: AGENT };

  it("approves it with a reason", () => {
    given(anAutomaticallyReferredQuote())
      .when({ type: "ApproveQuote", quoteId: QUOTE_ID, reason: "Spoke to the family: fine" }, asAgent)
      .then([{ type: "QuoteApproved", data: { reason: "Spoke to the family: fine", agentId: "agent-42" } }]);
  });

  it("needs a reason to approve what the rules referred", () => {
    given(anAutomaticallyReferredQuote())
      .when({ type: "ApproveQuote", quoteId: QUOTE_ID, reason: " " }, asAgent)
      .thenFails("ReasonRequired", { message: "The underwriting rules referred this quote: enter a reason for approving it anyway." });
  });

  it("rejects it with a reason", () => {
    given(anAutomaticallyReferredQuote())
      .when({ type: "RejectQuote", quoteId: QUOTE_ID, reason: "Too many dependents for this product" }, asAgent)
      .then([{ type: "QuoteRejected", data: { reason: "Too many dependents for this product", agentId: "agent-42" } }]);
  });
});
