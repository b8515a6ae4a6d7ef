import { expect, test } from "@playwright/test";
import { continueButton, expectStep, fillGeographic, heading, SPRINGFIELD, startQuote } from "./fixtures/customer";

test("the resume link opens the quote in another browser, on the first unanswered page, with the saved answers", async ({ page, browser }) => {
  const quoteId = await startQuote(page);
  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).click();
  await expectStep(page, "contact", "Contact details");
  const resumeLink = await page.getByLabel("Your resume link").inputValue();
  expect(resumeLink).toMatch(new RegExp(`/quote/${quoteId}/resume\\?token=`));

  const other = await browser.newContext();
  try {
    const elsewhere = await other.newPage();
    // Without the link, this browser cannot see the quote.
    await elsewhere.goto(`/quote/${quoteId}/geographic`);
    await expect(heading(elsewhere, "We couldn't find this quote")).toBeVisible();

    await elsewhere.goto(resumeLink);
    await expectStep(elsewhere, "contact", "Contact details");
    await expect(elsewhere).not.toHaveURL(/token=/); // the token leaves the address bar
    await elsewhere.getByRole("navigation", { name: "Quote progress" }).getByRole("link", { name: /Where you live/ }).click();
    await expectStep(elsewhere, "geographic", "Where you live");
    await expect(elsewhere.getByLabel("Country")).toHaveValue("US");
    await expect(elsewhere.getByLabel("State")).toHaveValue("IL");
    await expect(elsewhere.getByLabel("City")).toHaveValue("Springfield");
    await expect(elsewhere.getByLabel("ZIP code")).toHaveValue("62701");
  } finally {
    await other.close();
  }
});

test("coming back in the same browser lands on the first unanswered page", async ({ page, context }) => {
  await startQuote(page);
  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).click();
  await expectStep(page, "contact", "Contact details");
  await page.close();

  const later = await context.newPage();
  await later.goto("/");
  await later.getByRole("link", { name: "Continue your quote" }).click();
  await expectStep(later, "contact", "Contact details");
  await later.getByRole("navigation", { name: "Quote progress" }).getByRole("link", { name: /Where you live/ }).click();
  await expectStep(later, "geographic", "Where you live");
  await expect(later.getByLabel("City")).toHaveValue("Springfield");
  await expect(later.getByLabel("ZIP code")).toHaveValue("62701");
});

test("a resume link with a wrong token says so", async ({ page }) => {
  const quoteId = await startQuote(page);
  const other = await page.context().browser()!.newContext();
  try {
    const elsewhere = await other.newPage();
    await elsewhere.goto(`/quote/${quoteId}/resume?token=not-the-token`);
    await expect(elsewhere.getByRole("alert").filter({ hasText: "That resume link didn't work" })).toBeVisible();
    await expect(elsewhere.getByRole("button", { name: "Get a quote" })).toBeVisible();
  } finally {
    await other.close();
  }
});
