import { expect, test } from "./fixtures/test";
import {
  APPLICATION_NUMBER,
  CONTACT,
  continueButton,
  expectStep,
  FAMILY,
  fillContact,
  fillFamily,
  fillGeographic,
  PLACEHOLDER,
  setStandIn,
  SPRINGFIELD,
  standInKnobs,
  startQuote,
  toast,
  type StandInKnobs,
} from "./fixtures/customer";

let knobsBefore: StandInKnobs;
test.beforeEach(async () => {
  knobsBefore = await standInKnobs();
});
test.afterEach(async () => {
  await setStandIn(knobsBefore);
});

const header = (page: import("@playwright/test").Page) => page.locator(".wizard-header");

test("with the stand-in slow and failing half the time, the wizard never waits on it and the number still arrives", async ({ page }) => {
  test.setTimeout(120_000);
  // Down at first, so the number cannot arrive while the first page is answered; then slow and failing half the time.
  await setStandIn({ latencyMs: 1_500, failureRate: 1 });
  await startQuote(page);
  await expect(header(page)).toContainText(PLACEHOLDER);

  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).click();
  await expectStep(page, "contact", "Contact details");
  await expect(header(page)).toContainText(PLACEHOLDER); // moved on without the number

  await setStandIn({ latencyMs: 1_500, failureRate: 0.5 });
  const started = Date.now();
  await fillContact(page, CONTACT);
  await continueButton(page).click();
  await expectStep(page, "family", "Your family");
  await fillFamily(page, FAMILY);
  await continueButton(page).click();
  await expectStep(page, "review", "Check your answers");
  // Each save took far less than one call to the stand-in (1.5 s each, half of them failing).
  expect(Date.now() - started).toBeLessThan(15_000);

  // The number arrives on its own. (Should the worker give up after all its retries, the customer uses
  // "Try again", as the toast offers; the stand-in still fails half the time.)
  await expect(async () => {
    const tryAgain = header(page).getByRole("button", { name: "Try again" });
    if (await tryAgain.isVisible()) await tryAgain.click();
    await expect(header(page)).toContainText(APPLICATION_NUMBER, { timeout: 5_000 });
  }).toPass({ timeout: 100_000 });
  await expect(header(page)).not.toContainText(PLACEHOLDER);
});

test("when the request fails for good, a toast says so with Try again, and trying again gets the number", async ({ page }) => {
  test.setTimeout(150_000);
  await setStandIn({ latencyMs: 0, failureRate: 1 });
  await startQuote(page);
  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).click();
  await expectStep(page, "contact", "Contact details");

  // The worker retries with backoff for a while, then records the failure; the customer is told.
  const failed = toast(page, "We couldn't get your application number");
  await expect(failed).toBeVisible({ timeout: 120_000 });
  await expect(header(page)).toContainText("We couldn't get your application number.");
  await expect(page.getByLabel("Email")).toBeEditable(); // never blocked

  await setStandIn({ latencyMs: 0, failureRate: 0 });
  await failed.getByRole("button", { name: "Try again" }).click();
  await expect(toast(page, "Asking for your application number again")).toBeVisible();
  await expect(header(page)).toContainText(PLACEHOLDER);
  await expect(header(page)).toContainText(APPLICATION_NUMBER, { timeout: 30_000 });
  await expect(toast(page, APPLICATION_NUMBER)).toBeVisible();
});
