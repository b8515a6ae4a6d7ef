import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { QuoteSummaryView } from "../queries/contracts";
import { QUOTE_CSV_COLUMNS, csvField, quotesCsv } from "./quotes-csv";

const quote: QuoteSummaryView = {
  quoteId: "5f0b3f5e-2f0c-4a59-9d1e-000000000001",
  status: "referred",
  email: "ada@example.com",
  names: "Grace Alan",
  country: "US",
  region: "CA",
  city: "San Francisco",
  applicationNumber: "APP-2026-000123",
  monthlyPremium: 412.5,
  currency: "USD",
  version: 7,
  createdAt: "2026-11-26T10:00:00.000Z",
  updatedAt: "2026-11-26T10:05:00.000Z",
  submittedAt: "2026-11-26T10:04:00.000Z",
  assignedTo: "agent-42",
  referredAt: "2026-11-26T10:04:00.000Z",
};

describe("CSV fields (RFC 4180)", () => {
  it("quotes a field with a comma, a double quote or a line break, doubling its quotes", () => {
    assert.equal(csvField("Smith, Jo"), '"Smith, Jo"');
    assert.equal(csvField('He said "hi"'), '"He said ""hi"""');
    assert.equal(csvField("two\nlines"), '"two\nlines"');
    assert.equal(csvField("plain"), "plain");
    assert.equal(csvField(null), "");
  });

  it("keeps text a spreadsheet would run as a formula as text", () => {
    for (const formula of ["=1+1", "+1", "-2", "@SUM(A1)", "\tx"]) assert.equal(csvField(formula), `'${formula}`);
    assert.equal(csvField('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it("writes erased personal values as 'erased', joined names too", () => {
    assert.equal(csvField("[erased]"), "erased");
    assert.equal(csvField("[erased] [erased]"), "erased");
    assert.equal(csvField("Grace [erased]"), "Grace [erased]");
  });
});

describe("the quotes as CSV", () => {
  it("has a header, one CRLF-ended row per quote, and the assignee's label", () => {
    const csv = quotesCsv([quote], (agentId) => `Dana (${agentId})`);
    const lines = csv.split("\r\n");
    assert.equal(lines[0], QUOTE_CSV_COLUMNS.join(","));
    assert.equal(
      lines[1],
      "5f0b3f5e-2f0c-4a59-9d1e-000000000001,APP-2026-000123,referred,ada@example.com,Grace Alan,San Francisco,CA,US,412.50,USD,Dana (agent-42),2026-11-26T10:00:00.000Z,2026-11-26T10:05:00.000Z,2026-11-26T10:04:00.000Z,2026-11-26T10:04:00.000Z",
    );
    assert.equal(lines[2], "");
    assert.equal(lines.length, 3);
  });

  it("leaves empty what a draft does not have yet", () => {
    const draft = { ...quote, applicationNumber: null, monthlyPremium: null, currency: null, assignedTo: null, submittedAt: null, referredAt: null, email: null };
    assert.equal(quotesCsv([draft], () => "x").split("\r\n")[1], "5f0b3f5e-2f0c-4a59-9d1e-000000000001,,referred,,Grace Alan,San Francisco,CA,US,,,,2026-11-26T10:00:00.000Z,2026-11-26T10:05:00.000Z,,");
  });
});
