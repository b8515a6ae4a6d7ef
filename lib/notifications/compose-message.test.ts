import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { composeEmail, formatValidityDate, type EmailFacts } from "./compose-message";
import { emailSubjectOf, expiryReminderTime, notificationKindOf } from "./reactions";

const facts: EmailFacts = {
  applicationNumber: "APP-2026-000123",
  premium: { monthly: 1234.5, currency: "CAD" },
  validUntil: "2026-12-31",
  quoteUrl: "https://quotes.example.com/quote/5b0c3c62-5d4e-4a8e-9f63-3f4b5b0c3c62",
};

describe("customer emails", () => {
  it("'we have your quote' gives the application number, the monthly premium in the quote's currency, the status and the validity date", () => {
    const email = composeEmail({ kind: "submitted" }, facts);
    assert.match(email.subject, /APP-2026-000123/);
    for (const part of [email.text, email.html]) {
      assert.match(part, /APP-2026-000123/);
      assert.match(part, /\$1,234\.50 a month/);
      assert.match(part, /Submitted/);
      assert.match(part, /31 December 2026/);
      assert.ok(part.includes(facts.quoteUrl));
    }
  });

  it("says the number will follow when it has not come", () => {
    const email = composeEmail({ kind: "submitted" }, { ...facts, applicationNumber: null });
    assert.match(email.text, /Application number: to follow/);
    assert.doesNotMatch(email.subject, /APP-/);
  });

  it("says which decision, and whether a rule or a person made it", () => {
    assert.match(composeEmail({ kind: "decided", outcome: "approved", automatic: true }, facts).text, /Status: Approved[\s\S]*/);
    assert.match(composeEmail({ kind: "decided", outcome: "approved", automatic: true }, facts).text, /straight away/);
    assert.match(composeEmail({ kind: "decided", outcome: "approved", automatic: false }, facts).text, /underwriters has looked/);
    assert.match(composeEmail({ kind: "decided", outcome: "rejected", automatic: false }, facts).text, /Status: Not approved/);
    assert.match(composeEmail({ kind: "decided", outcome: "referred", automatic: true }, facts).text, /Status: With an underwriter/);
  });

  it("a withdrawn quote's email has no link; the reminder has one", () => {
    assert.ok(!composeEmail({ kind: "withdrawn" }, facts).text.includes("http"));
    assert.match(composeEmail({ kind: "withdrawn" }, facts).text, /Status: Withdrawn/);
    assert.match(composeEmail({ kind: "expiring-soon" }, facts).subject, /ends soon/);
  });

  it("escapes what it puts in the HTML", () => {
    const email = composeEmail({ kind: "submitted" }, { ...facts, applicationNumber: "<b>1</b>" });
    assert.ok(!email.html.includes("<b>1</b>"));
    assert.ok(email.html.includes("&lt;b&gt;1&lt;/b&gt;"));
  });

  it("formats the validity as the UTC date it is", () => {
    assert.equal(formatValidityDate("2027-01-01"), "1 January 2027");
  });
});

describe("which events send an email", () => {
  it("submission, every decision (automatic ones too) and withdrawal; nothing else", () => {
    assert.equal(notificationKindOf("QuoteSubmitted"), "submitted");
    for (const type of ["QuoteApproved", "QuoteRejected", "QuoteReferred", "QuoteApprovedAutomatically", "QuoteReferredAutomatically"]) assert.equal(notificationKindOf(type), "decided");
    assert.equal(notificationKindOf("QuoteCancelled"), "withdrawn");
    for (const type of ["QuoteStarted", "ContactDetailsCaptured", "ApplicationNumberAssigned", "QuoteExpired", "PersonalDataErased"]) assert.equal(notificationKindOf(type), null);
    assert.deepEqual(emailSubjectOf("decided", "QuoteReferredAutomatically"), { kind: "decided", outcome: "referred", automatic: true });
    assert.equal(emailSubjectOf("decided", null), null);
  });

  it("reminds three days before expiry, or halfway through a validity of three days or less", () => {
    const submitted = new Date("2026-12-01T10:00:00Z");
    assert.equal(expiryReminderTime(submitted, new Date("2026-12-31T00:00:00Z")).toISOString(), "2026-12-28T00:00:00.000Z");
    assert.equal(expiryReminderTime(submitted, new Date("2026-12-02T10:00:00Z")).toISOString(), "2026-12-01T22:00:00.000Z");
    assert.equal(expiryReminderTime(submitted, new Date("2026-12-01T10:00:40Z")).toISOString(), "2026-12-01T10:00:20.000Z");
  });
});
