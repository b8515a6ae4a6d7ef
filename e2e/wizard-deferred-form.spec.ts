// A wizard page's form script (react-hook-form, the save) loads after the page: what the customer typed before it
// arrived is kept, and the form it takes over then saves with it.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { CONTACT, continueButton, expectStep, fillContact, fillGeographic, heading, HEADINGS, SPRINGFIELD, startQuote, toast } from "./fixtures/customer";

/** Holds back the browser's copy of the script that shows this save message (the page form's script) until released. */
async function holdFormScript(page: Page, savedMessage: string): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/chunks/**", async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes(savedMessage)) await released;
    await route.fulfill({ response, body });
  });
  return release;
}

test("a page opened afresh: what was typed before the form's script arrived is kept, and the script saves it", async ({ page }) => {
  const quoteId = await startQuote(page);
  const release = await holdFormScript(page, "Where you live is saved");
  // The held script keeps the window's load event from firing: the page is interactive before it.
  await page.goto(`/quote/${quoteId}/geographic`, { waitUntil: "domcontentloaded" });
  await expect(heading(page, HEADINGS.geographic)).toBeFocused();

  // The server's form, before its script: every country's regions under one label.
  await page.getByLabel("Country").selectOption({ label: SPRINGFIELD.country });
  await page.getByLabel("State, province or nation").selectOption({ label: SPRINGFIELD.state });
  await page.getByLabel("City").fill(SPRINGFIELD.city);
  await page.getByLabel("ZIP code, postal code or postcode").fill(SPRINGFIELD.zipCode);

  release();
  // The script has taken over: the regions and labels follow the chosen country.
  await expect(page.getByLabel("State", { exact: true })).toHaveValue("IL");
  await expect(page.getByLabel("Country")).toHaveValue("US");
  await expect(page.getByLabel("City")).toHaveValue(SPRINGFIELD.city);
  await expect(page.getByLabel("ZIP code", { exact: true })).toHaveValue(SPRINGFIELD.zipCode);

  await continueButton(page).click();
  await expect(toast(page, "Where you live is saved")).toBeVisible();
  await expectStep(page, "contact", "Contact details");
});

test("the family page: what was typed before its script arrived is kept, with the focus, and the script saves it", async ({ page }) => {
  const quoteId = await startQuote(page);
  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).click();
  await expectStep(page, "contact", "Contact details");
  await fillContact(page, CONTACT);
  await continueButton(page).click();
  await expectStep(page, "family", "Your family");

  const release = await holdFormScript(page, "Your family details are saved");
  await page.goto(`/quote/${quoteId}/family`, { waitUntil: "domcontentloaded" });
  await expect(heading(page, HEADINGS.family)).toBeFocused();
  // Without its script the list's buttons post the form.
  const addChild = page.getByRole("button", { name: "Add child" });
  await expect(addChild).toHaveAttribute("type", "submit");
  await page.getByLabel("Number of dependents").fill("1");
  await page.getByLabel("Spouse name").fill("Grace Lovelace");

  release();
  await expect(addChild).toHaveAttribute("type", "button");
  await expect(page.getByLabel("Number of dependents")).toHaveValue("1");
  await expect(page.getByLabel("Spouse name")).toHaveValue("Grace Lovelace");
  await expect(page.getByLabel("Spouse name")).toBeFocused();

  await addChild.click();
  await page.getByLabel("Child 1").fill("Byron");
  await continueButton(page).click();
  await expect(toast(page, "Your family details are saved")).toBeVisible();
  await expectStep(page, "review", "Check your answers");
  await expect(page.getByText("Grace Lovelace")).toBeVisible();
  await expect(page.getByText("Byron")).toBeVisible();
});
