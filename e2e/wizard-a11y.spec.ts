import { expect, test } from "./fixtures/test";
import {
  continueButton,
  expectAccessible,
  expectStep,
  FAMILY,
  fillContact,
  fillFamily,
  fillGeographic,
  heading,
  SPRINGFIELD,
  CONTACT,
  startQuote,
  toast,
} from "./fixtures/customer";
import { decideAsAgent } from "./fixtures/customer-agent-decision";

test("every page of the wizard passes axe with no serious or critical violation, errors and toasts included", async ({ page, browser, browserErrors }) => {
  browserErrors.expect(/review: Failed to load resource: .* 404/); // the not-found page a stranger gets, checked too
  test.setTimeout(120_000);
  await page.goto("/");
  await expectAccessible(page, "home");

  const quoteId = await startQuote(page);
  await expectAccessible(page, "location page");
  await continueButton(page).click();
  await expect(page.getByLabel("City")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "location page with errors");
  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).click();

  await expectStep(page, "contact", "Contact details");
  await expect(toast(page, "Where you live is saved")).toBeVisible();
  await expectAccessible(page, "contact page with a toast");
  await page.getByLabel("Email").fill("nope");
  await continueButton(page).click();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "contact page with errors");
  await fillContact(page, CONTACT);
  await continueButton(page).click();

  await expectStep(page, "family", "Your family");
  await fillFamily(page, FAMILY);
  await page.getByRole("button", { name: "Add child" }).click();
  await continueButton(page).click();
  await expect(page.getByLabel("Child 2")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "family page with children and errors");
  await page.getByRole("button", { name: "Remove child 2" }).click();
  await continueButton(page).click();

  await expectStep(page, "review", "Check your answers");
  await expectAccessible(page, "review page");
  await page.getByRole("button", { name: "Submit quote" }).click();

  await expect(heading(page, "Quote submitted")).toBeFocused();
  await expectAccessible(page, "submitted page");

  // The outcome page follows an agent's decision by itself.
  await decideAsAgent(quoteId, "approve", "All documents in order");
  await expect(page.getByRole("status").filter({ hasText: "Status" })).toContainText("Approved", { timeout: 20_000 });
  await expect(page.getByRole("status").filter({ hasText: "Status" })).toContainText("All documents in order");
  await expect(heading(page, "Quote approved")).toBeVisible();
  await expectAccessible(page, "approved page");

  const other = await browser.newContext();
  try {
    const stranger = await other.newPage();
    await stranger.goto(`/quote/${quoteId}/review`);
    await expect(heading(stranger, "We couldn't find this quote")).toBeVisible();
    await expectAccessible(stranger, "quote not found");
  } finally {
    await other.close();
  }
});
