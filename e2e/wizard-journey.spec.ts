import { expect, test } from "./fixtures/test";
import {
  APPLICATION_NUMBER,
  continueButton,
  expectStep,
  fillContact,
  fillFamily,
  fillGeographic,
  heading,
  PLACEHOLDER,
  quoteVersion,
  SPRINGFIELD,
  CONTACT,
  FAMILY,
  startQuote,
  toast,
} from "./fixtures/customer";

// The number normally arrives within a second. The timeouts allow for the worker's lease (60 s) when its
// AssignApplicationNumber races a customer's save and is retried later.
const NUMBER_TIMEOUT = 75_000;

test("the whole journey: three pages, check answers, change one through its link, submit, and the application number appears", async ({ page }) => {
  test.setTimeout(120_000);
  const quoteId = await startQuote(page);
  // The number is requested when the quote starts; the header says so until it arrives.
  await expect(page.getByText(PLACEHOLDER).or(page.getByText(APPLICATION_NUMBER)).first()).toBeVisible();

  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).click();
  await expectStep(page, "contact", "Contact details");
  await expect(toast(page, "Where you live is saved")).toBeVisible();
  // The stepper marks the first page as done.
  await expect(page.getByRole("navigation", { name: "Quote progress" }).getByRole("link", { name: /Where you live.*completed/ })).toBeVisible();

  await fillContact(page, CONTACT);
  await continueButton(page).click();
  await expectStep(page, "family", "Your family");

  await fillFamily(page, FAMILY);
  await continueButton(page).click();
  await expectStep(page, "review", "Check your answers");

  // Check your answers: every answer, the premium with its breakdown, and the validity date.
  const answers = page.locator("dl.summary-list");
  for (const text of ["United States", "Illinois", "Springfield", "62701", "ada@example.com", "+1 217 555 0134", "Grace Lovelace", "Byron"]) {
    await expect(answers.getByText(text, { exact: true })).toBeVisible();
  }
  await expect(page.getByRole("heading", { name: "Your premium" })).toBeVisible();
  const breakdown = page.getByRole("table", { name: "How we worked out your premium" });
  await expect(breakdown.getByRole("rowheader", { name: /Base rate/ })).toBeVisible();
  await expect(breakdown.getByRole("rowheader", { name: /Region factor \(Illinois\)/ })).toBeVisible();
  await expect(page.getByText(/this price is valid until \d{1,2} \w+ \d{4}/)).toBeVisible();

  // Change one answer through its link, and come back to the review page.
  await page.getByRole("link", { name: "Change city" }).click();
  await expectStep(page, "geographic", "Where you live");
  await expect(page.getByLabel("City")).toHaveValue("Springfield");
  await page.getByLabel("City").fill("Chicago");
  await page.getByLabel("ZIP code").fill("60601");
  await continueButton(page).click();
  await expectStep(page, "review", "Check your answers");
  await expect(answers.getByText("Chicago", { exact: true })).toBeVisible();
  await expect(answers.getByText("Springfield", { exact: true })).toHaveCount(0);

  await page.getByRole("button", { name: "Submit quote" }).click();
  await expect(page).toHaveURL(new RegExp(`/quote/${quoteId}/submitted$`));
  await expect(heading(page, "Quote submitted")).toBeFocused();
  await expect(page.getByRole("status").filter({ hasText: "Status" })).toContainText("Submitted");
  await expect(toast(page, "Quote submitted")).toBeVisible();

  // The application number appears (in the header and on the page) without the customer doing anything.
  await expect(page.getByText(PLACEHOLDER)).toHaveCount(0, { timeout: NUMBER_TIMEOUT });
  await expect(page.locator(".wizard-header")).toContainText(APPLICATION_NUMBER);
  await expect(page.getByRole("status").filter({ hasText: "Status" })).toContainText(APPLICATION_NUMBER);
  expect(await quoteVersion(page, quoteId)).toBeGreaterThanOrEqual(6);
});

test("a double click on Continue saves once: one request, one new version", async ({ page }) => {
  test.setTimeout(120_000);
  const quoteId = await startQuote(page);
  // Wait for the application number, so the only events now are the customer's.
  await expect(page.locator(".wizard-header")).toContainText(APPLICATION_NUMBER, { timeout: NUMBER_TIMEOUT });
  const before = await quoteVersion(page, quoteId);

  const saves: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.headers()["next-action"] && new URL(request.url()).pathname.endsWith("/geographic")) saves.push(request.url());
  });
  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).dblclick();
  await expectStep(page, "contact", "Contact details");

  expect(saves).toHaveLength(1);
  await expect.poll(() => quoteVersion(page, quoteId)).toBe(before + 1);
});
