import { expect, test } from "./fixtures/test";
import { answerEverything, APPLICATION_NUMBER, CONTACT, continueButton, expectStep, fillContact, fillGeographic, heading, SPRINGFIELD, startQuote, toast } from "./fixtures/customer";

test("an edit that conflicts with one made in another tab says so and reloads the latest values", async ({ page, context }) => {
  const quoteId = await startQuote(page);
  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).click();
  await expectStep(page, "contact", "Contact details");

  // Two tabs on the same page, both showing Springfield.
  const tabA = page;
  await tabA.goto(`/quote/${quoteId}/geographic`);
  await expect(tabA.getByLabel("City")).toHaveValue("Springfield");
  const tabB = await context.newPage();
  await tabB.goto(`/quote/${quoteId}/geographic`);
  await expect(tabB.getByLabel("City")).toHaveValue("Springfield");

  // Tab B saves first.
  await tabB.getByLabel("City").fill("Chicago");
  await tabB.getByLabel("ZIP code").fill("60601");
  await continueButton(tabB).click();
  await expectStep(tabB, "contact", "Contact details");

  // Tab A, still on what it loaded, saves something else: refused, told why, shown the latest.
  await tabA.getByLabel("City").fill("Peoria");
  await continueButton(tabA).click();
  const notice = tabA.getByRole("alert").filter({ hasText: "Your answers were changed in another tab or window" });
  await expect(notice).toBeVisible();
  await expect(notice).toBeFocused();
  await expect(toast(tabA, "Your answers were changed in another tab or window")).toBeVisible();
  await expect(tabA).toHaveURL(/\/geographic$/);
  await expect(tabA.getByLabel("City")).toHaveValue("Chicago");
  await expect(tabA.getByLabel("ZIP code")).toHaveValue("60601");

  // Having seen the latest, tab A can save its change.
  await tabA.getByLabel("City").fill("Peoria");
  await tabA.getByLabel("ZIP code").fill("61602");
  await continueButton(tabA).click();
  await expectStep(tabA, "contact", "Contact details");
  await tabB.goto(`/quote/${quoteId}/geographic`);
  await expect(tabB.getByLabel("City")).toHaveValue("Peoria");
});

test("submitting answers another tab has just changed: nothing is submitted, the latest answers are shown", async ({ page, context }) => {
  test.setTimeout(120_000);
  const quoteId = await answerEverything(page);
  // Once the number is in, this tab stops polling: it can only learn of tab B's change from the server's 412.
  await expect(page.locator(".wizard-header")).toContainText(APPLICATION_NUMBER, { timeout: 75_000 });
  const answers = page.locator("dl.summary-list");
  await expect(answers.getByText("Grace Lovelace", { exact: true })).toBeVisible();

  const tabB = await context.newPage();
  await tabB.goto(`/quote/${quoteId}/family`);
  await tabB.getByLabel("Spouse name").fill("Mary Somerville");
  await continueButton(tabB).click();
  await expectStep(tabB, "review", "Check your answers");

  await page.getByRole("button", { name: "Submit quote" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Your answers were changed in another tab or window" })).toBeVisible();
  await expect(page).toHaveURL(/\/review$/);
  await expect(answers.getByText("Mary Somerville", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Submit quote" }).click();
  await expect(page).toHaveURL(new RegExp(`/quote/${quoteId}/submitted$`));
  await expect(heading(page, "Quote submitted")).toBeVisible();
});

test("saving a page another tab left alone is no conflict, though the other tab saved meanwhile", async ({ page, context }) => {
  const quoteId = await startQuote(page);
  // Tab A opens the location page; tab B answers the contact page meanwhile.
  const tabB = await context.newPage();
  await tabB.goto(`/quote/${quoteId}/contact`);
  await fillContact(tabB, CONTACT);
  await continueButton(tabB).click();
  await expectStep(tabB, "family", "Your family");

  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).click();
  await expectStep(page, "contact", "Contact details");
  await expect(page.getByRole("alert").filter({ hasText: "changed in another tab" })).toHaveCount(0);
  await expect(page.getByLabel("Email")).toHaveValue(CONTACT.email);
});
