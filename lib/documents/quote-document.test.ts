import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PDFDocument } from "pdf-lib";
import { priceQuote } from "../domain/quote/pricing";
import { CONTACT, FAMILY_OF_FOUR, SAN_FRANCISCO, TORONTO } from "../domain/quote/testing/fixtures";
import { quoteDocumentFilename, renderQuoteDocument, type QuoteDocumentView } from "./quote-document";
import { pdfText } from "./testing/pdf-text";

const premium = priceQuote({ geographic: SAN_FRANCISCO, family: FAMILY_OF_FOUR });

const submitted: QuoteDocumentView = {
  quoteId: "6f0c2a4e-1d57-4a8b-9d0e-2b1f3c4d5e6f",
  status: "submitted",
  geographicDetails: SAN_FRANCISCO,
  contactDetails: CONTACT,
  familyDetails: FAMILY_OF_FOUR,
  premium,
  validUntil: "2026-12-26",
  applicationNumber: "APP-2026-000123",
  decision: null,
};

const squashed = (text: string) => text.replace(/\s+/g, " ");

describe("the quote document", () => {
  it("is one A4 page whose text holds the application number, every answer, the premium and its breakdown, and the validity date", async () => {
    const bytes = await renderQuoteDocument(submitted);
    assert.equal(Buffer.from(bytes.subarray(0, 5)).toString("latin1"), "%PDF-");
    const pdf = await PDFDocument.load(bytes);
    assert.equal(pdf.getPageCount(), 1);
    assert.equal(pdf.getTitle(), "Quote APP-2026-000123");

    const text = squashed(await pdfText(bytes));
    for (const expected of ["APP-2026-000123", "Submitted", "United States", "California", "San Francisco", "94103", "ada@example.com", "+1 (415) 555-0100", "Grace", "Alan, Barbara", "26 December 2026"]) {
      assert.ok(text.includes(expected), `${expected} in: ${text}`);
    }
    assert.ok(text.includes(`Monthly premium $${premium.monthly.toFixed(2)} a month`), text);
    for (const line of premium.breakdown) assert.ok(text.includes(line.label), `${line.label} in: ${text}`);
  });

  it("says pending before the application number is assigned, and names the decision and its reason", async () => {
    const text = squashed(await pdfText(await renderQuoteDocument({ ...submitted, status: "rejected", applicationNumber: null, decision: { outcome: "rejected", reason: "Outside the area we cover" } })));
    assert.match(text, /Application number pending/);
    assert.match(text, /Decision Rejected/);
    assert.match(text, /Reason Outside the area we cover/);
  });

  it("writes each country's own labels and money", async () => {
    const canadian = priceQuote({ geographic: TORONTO, family: FAMILY_OF_FOUR });
    const text = squashed(await pdfText(await renderQuoteDocument({ ...submitted, geographicDetails: TORONTO, premium: canadian })));
    assert.match(text, /Province or territory Ontario/);
    assert.match(text, /Postal code M5V 2T6/);
    assert.ok(text.includes(`$${canadian.monthly.toFixed(2)} a month`), text);
  });

  it("renders names the standard font cannot encode, replacing only the characters it cannot write", async () => {
    const family = { numberOfDependents: 1, spouseName: "Zoë Łukasz 李", childrenNames: ["Ådne Ősz"] };
    const text = squashed(await pdfText(await renderQuoteDocument({ ...submitted, familyDetails: family })));
    assert.match(text, /Spouse name Zoë \?ukasz \?/);
    assert.match(text, /Ådne Osz/, "an accent the font lacks falls back to its letter");
  });

  it("renders a quote with nothing answered yet, and the longest answers, on one page", async () => {
    const empty = await renderQuoteDocument({ ...submitted, status: "draft", geographicDetails: null, contactDetails: null, familyDetails: null, premium: null, validUntil: null, applicationNumber: null });
    assert.match(squashed(await pdfText(empty)), /Not answered yet/);

    const longName = "Wolfeschlegelsteinhausenbergerdorff ".repeat(3).slice(0, 100);
    const longest = await renderQuoteDocument({
      ...submitted,
      familyDetails: { numberOfDependents: 12, spouseName: longName, childrenNames: Array.from({ length: 12 }, () => longName) },
      decision: { outcome: "referred", reason: "A reason ".repeat(55).trim() },
    });
    assert.equal((await PDFDocument.load(longest)).getPageCount(), 1);
    const text = squashed(await pdfText(longest));
    assert.ok(text.includes("26 December 2026"));
    assert.doesNotMatch(text, /More than fits/, "every answer fits, even the longest allowed");
  });

  it("is named after the application number, or the quote id before there is one", () => {
    assert.equal(quoteDocumentFilename(submitted), "quote-APP-2026-000123.pdf");
    assert.equal(quoteDocumentFilename({ ...submitted, applicationNumber: null }), `quote-${submitted.quoteId}.pdf`);
  });
});
