import { type Locator, type Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { APPLICATION_NUMBER, expectStep, heading } from "./fixtures/customer";

/** Presses Tab (only Tab) until `target` has focus. */
async function tabTo(page: Page, target: Locator, maxPresses = 40) {
  for (let presses = 0; presses < maxPresses; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target).toBeFocused();
}

/** Focus in a field, replace its text by typing. */
async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(text);
}

/** A native select, chosen by typing the option's name (type-ahead), as a keyboard user does. */
async function choose(page: Page, select: Locator, optionName: string) {
  await tabTo(page, select);
  await page.keyboard.type(optionName);
  await expect(select.locator("option:checked")).toHaveText(optionName);
}

test("the whole journey with the keyboard alone", async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto("/");
  await tabTo(page, page.getByRole("link", { name: "Skip to content" }));
  await tabTo(page, page.getByRole("button", { name: "Get a quote" }));
  await page.keyboard.press("Enter");
  await expectStep(page, "geographic", "Where you live");

  await choose(page, page.getByLabel("Country"), "United States");
  await choose(page, page.getByLabel("State"), "Oregon");
  await typeInto(page, page.getByLabel("City"), "Portland");
  await typeInto(page, page.getByLabel("ZIP code"), "97201");
  await tabTo(page, page.getByRole("button", { name: "Continue" }));
  await page.keyboard.press("Enter");
  await expectStep(page, "contact", "Contact details");

  await typeInto(page, page.getByLabel("Email"), "keys@example.com");
  await typeInto(page, page.getByLabel("Phone number"), "503 555 0100");
  await page.keyboard.press("Enter"); // implicit submission from a text field
  await expectStep(page, "family", "Your family");

  await typeInto(page, page.getByLabel("Number of dependents"), "1");
  await tabTo(page, page.getByRole("button", { name: "Add child" }));
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Child 1")).toBeFocused();
  await page.keyboard.type("Kim");
  await tabTo(page, page.getByRole("button", { name: "Continue" }));
  await page.keyboard.press("Space");
  await expectStep(page, "review", "Check your answers");

  await tabTo(page, page.getByRole("link", { name: "Change phone number" }));
  await page.keyboard.press("Enter");
  await expectStep(page, "contact", "Contact details");
  await typeInto(page, page.getByLabel("Phone number"), "503 555 0199");
  await tabTo(page, page.getByRole("button", { name: "Continue" }));
  await page.keyboard.press("Enter");
  await expectStep(page, "review", "Check your answers");
  await expect(page.locator("dl.summary-list").getByText("503 555 0199")).toBeVisible();

  await tabTo(page, page.getByRole("button", { name: "Submit quote" }), 60);
  await page.keyboard.press("Enter");
  await expect(heading(page, "Quote submitted")).toBeFocused();
  await expect(page.locator(".wizard-header")).toContainText(APPLICATION_NUMBER, { timeout: 75_000 });
});
