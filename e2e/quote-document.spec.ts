// The quote as a PDF: the customer downloads it from the outcome page (with JavaScript and without: it is a plain
// link, and the access cookie goes with it), an agent from the quote's page; each file holds the quote's text.
import fs from "node:fs/promises";
import type { Download, Page } from "@playwright/test";
import { pdfText } from "../lib/documents/testing/pdf-text";
import { expect, test } from "./fixtures/agent";
import { submitQuoteAsCustomer, waitForAgentView, waitForApplicationNumber, waitForCustomerStatus, type CustomerQuote } from "./fixtures/agent-quotes";

/** Clicks the link and waits for the browser's download; the file's text, spaces squashed. */
async function download(page: Page, linkName: string): Promise<{ file: Download; text: string }> {
  const link = page.getByRole("link", { name: linkName });
  await expect(link).toBeVisible();
  const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const bytes = await fs.readFile(await file.path());
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  return { file, text: (await pdfText(bytes)).replace(/\s+/g, " ") };
}

function expectQuoteText(text: string, quote: CustomerQuote, applicationNumber: string) {
  expect(text).toContain(`Application number ${applicationNumber}`);
  expect(text).toContain(quote.email);
  expect(text).toContain(quote.spouseName);
  expect(text).toMatch(/Monthly premium \$[\d,.]+ a month/);
  expect(text).toMatch(/Valid until \d{1,2} \w+ \d{4}/);
}

test.describe("the quote as a PDF", () => {
  test("the customer downloads it from the outcome page, with JavaScript and without", async ({ page, browser, request, baseURL }) => {
    const quote = await submitQuoteAsCustomer(request, { applicationNumberFirst: true });
    const applicationNumber = await waitForApplicationNumber(request, quote);
    // The outcome page reads the read model: until the submission is projected it sends a draft back to review.
    await waitForCustomerStatus(request, quote, "submitted");
    const cookie = { name: `quote_access_${quote.quoteId}`, value: quote.accessToken, url: baseURL! };

    await page.context().addCookies([cookie]);
    await page.goto(`/quote/${quote.quoteId}/submitted`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quote submitted");
    const link = page.getByRole("link", { name: "Download your quote (PDF)" });
    await expect(link).toHaveAttribute("href", `/api/quotes/${quote.quoteId}/document`);
    const scripted = await download(page, "Download your quote (PDF)");
    expect(scripted.file.suggestedFilename()).toBe(`quote-${applicationNumber}.pdf`);
    expectQuoteText(scripted.text, quote, applicationNumber);

    const plain = await browser.newContext({ baseURL, javaScriptEnabled: false });
    await plain.addCookies([cookie]);
    const plainPage = await plain.newPage();
    await plainPage.goto(`/quote/${quote.quoteId}/submitted`);
    const unscripted = await download(plainPage, "Download your quote (PDF)");
    expect(unscripted.file.suggestedFilename()).toBe(`quote-${applicationNumber}.pdf`);
    expectQuoteText(unscripted.text, quote, applicationNumber);
    await plain.close();
  });

  test("an agent downloads it from the quote's page; without a session the route answers 401", async ({ agentPage: page, request, playwright, baseURL }) => {
    const quote = await submitQuoteAsCustomer(request, { applicationNumberFirst: true });
    const applicationNumber = await waitForApplicationNumber(request, quote);
    await waitForAgentView(page.context().request, quote);

    await page.goto(`/admin/quotes/${quote.quoteId}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(applicationNumber);
    const { file, text } = await download(page, "Download the quote (PDF)");
    expect(file.suggestedFilename()).toBe(`quote-${applicationNumber}.pdf`);
    expectQuoteText(text, quote, applicationNumber);

    const signedOut = await playwright.request.newContext({ baseURL });
    expect((await signedOut.get(`/api/admin/quotes/${quote.quoteId}/document`)).status()).toBe(401);
    expect((await signedOut.get(`/api/quotes/${quote.quoteId}/document`)).status(), "nor may a stranger have the customer's").toBe(404);
    await signedOut.dispose();
  });
});
