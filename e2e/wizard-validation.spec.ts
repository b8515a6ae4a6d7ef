import { expect, test } from "./fixtures/test";
import {
  CONTACT,
  continueButton,
  expectFieldError,
  expectNoFieldError,
  expectStep,
  fillContact,
  fillGeographic,
  SPRINGFIELD,
  startQuote,
  toast,
} from "./fixtures/customer";

test("the location page shows each bad answer at its field, focuses the first, and keeps what was typed", async ({ page }) => {
  await startQuote(page);

  await continueButton(page).click();
  await expectFieldError(page.getByLabel("Country"), "Choose a country we cover: United States, Canada or United Kingdom");
  await expectFieldError(page.getByLabel("State"), "Choose your state, province or nation");
  await expectFieldError(page.getByLabel("City"), "Enter your city");
  await expectFieldError(page.getByLabel("ZIP code"), "Enter your ZIP or postal code");
  await expect(page.getByLabel("Country")).toBeFocused();

  await page.getByLabel("Country").selectOption({ label: "United States" });
  await page.getByLabel("State").selectOption({ label: "Illinois" });
  await page.getByLabel("City").fill("Springfield");
  await page.getByLabel("ZIP code").fill("ABC");
  await continueButton(page).click();
  await expectFieldError(page.getByLabel("ZIP code"), "ZIP code must be 5 digits, like 94103, or ZIP+4, like 94103-1234");
  await expect(page.getByLabel("ZIP code")).toBeFocused();
  for (const field of ["Country", "State", "City"]) await expectNoFieldError(page.getByLabel(field));
  await expect(page.getByLabel("Country")).toHaveValue("US");
  await expect(page.getByLabel("State")).toHaveValue("IL");
  await expect(page.getByLabel("City")).toHaveValue("Springfield");
  await expect(page.getByLabel("ZIP code")).toHaveValue("ABC");
  await expect(page).toHaveURL(/\/geographic$/);

  // Labels follow the country: Canada has provinces and postal codes.
  await page.getByLabel("Country").selectOption({ label: "Canada" });
  await expect(page.getByLabel("Province or territory")).toBeVisible();
  await expect(page.getByLabel("Postal code")).toHaveValue("ABC");
});

test("the contact page shows each bad answer at its field and keeps what was typed", async ({ page }) => {
  await startQuote(page);
  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).click();
  await expectStep(page, "contact", "Contact details");

  await page.getByLabel("Email").fill("ada.example.com");
  await page.getByLabel("Phone number").fill("12");
  await continueButton(page).click();
  await expectFieldError(page.getByLabel("Email"), "Enter a valid email address, like name@example.com");
  await expectFieldError(page.getByLabel("Phone number"), "Phone number is too short: it needs at least 7 digits");
  await expect(page.getByLabel("Email")).toBeFocused();
  await expect(page.getByLabel("Email")).toHaveValue("ada.example.com");
  await expect(page.getByLabel("Phone number")).toHaveValue("12");

  // Fixing one field clears its message as the customer types; the other stays.
  await page.getByLabel("Email").fill("ada@example.com");
  await expectNoFieldError(page.getByLabel("Email"));
  await expectFieldError(page.getByLabel("Phone number"), "too short");
});

test("the family page shows each bad answer at its field, including each child's, and keeps what was typed", async ({ page }) => {
  await startQuote(page);
  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).click();
  await fillContact(page, CONTACT);
  await continueButton(page).click();
  await expectStep(page, "family", "Your family");

  await page.getByLabel("Number of dependents").fill("two");
  await page.getByLabel("Spouse name").fill("Grace");
  await page.getByRole("button", { name: "Add child" }).click();
  await expect(page.getByLabel("Child 1")).toBeFocused();
  await page.getByRole("button", { name: "Add child" }).click();
  await page.getByLabel("Child 2").fill("Byron");
  await continueButton(page).click();

  await expectFieldError(page.getByLabel("Number of dependents"), "Enter the number of dependents as a number, like 2");
  await expectFieldError(page.getByLabel("Child 1"), "Enter each child's name, or remove the empty one");
  await expectNoFieldError(page.getByLabel("Child 2"));
  await expect(page.getByLabel("Number of dependents")).toBeFocused();
  await expect(page.getByLabel("Number of dependents")).toHaveValue("two");
  await expect(page.getByLabel("Spouse name")).toHaveValue("Grace");
  await expect(page.getByLabel("Child 2")).toHaveValue("Byron");

  // More children than dependents: the message is at the list of children.
  await page.getByLabel("Number of dependents").fill("1");
  await page.getByLabel("Child 1").fill("Ada");
  await continueButton(page).click();
  await expect(page.getByRole("group", { name: "Children's names" })).toHaveAccessibleDescription(/You listed 2 children but 1 dependent/);
  await expect(page.getByLabel("Child 1")).toBeFocused();

  // "Remove" takes a child away (focus stays in the list), and the page saves.
  await page.getByRole("button", { name: "Remove child 2" }).click();
  await expect(page.getByLabel("Child 1")).toBeFocused();
  await expect(page.getByLabel("Child 2")).toHaveCount(0);
  await continueButton(page).click();
  await expectStep(page, "review", "Check your answers");
});

test("a server validation error lands on its field, with the typed values kept", async ({ page }) => {
  await startQuote(page);
  await fillGeographic(page, SPRINGFIELD);
  // The browser's check passes; the server's (same schema) refuses: simulate a tampered request.
  await page.route("**/quote/*/geographic", async (route) => {
    const request = route.request();
    if (request.method() !== "POST" || !request.headers()["next-action"]) return route.continue();
    await route.continue({ postData: (request.postData() ?? "").replace('"city":"Springfield"', '"city":""') });
  });
  await continueButton(page).click();
  await expect(toast(page, "Some answers need changing")).toBeVisible();
  await expectFieldError(page.getByLabel("City"), "Enter your city");
  await expect(page.getByLabel("City")).toBeFocused();
  await expect(page.getByLabel("City")).toHaveValue("Springfield");
  await expect(page.getByLabel("ZIP code")).toHaveValue("62701");
  await page.unrouteAll({ behavior: "wait" });

  await continueButton(page).click();
  await expectStep(page, "contact", "Contact details");
});

test("when the server cannot be reached: a toast, the form stays filled, and a retry works", async ({ page, browserErrors }) => {
  browserErrors.expect(/ERR_CONNECTION_REFUSED/); // the outage this test makes
  await startQuote(page);
  await fillGeographic(page, SPRINGFIELD);
  await page.route("**/quote/*/geographic", (route) =>
    route.request().method() === "POST" && route.request().headers()["next-action"] ? route.abort("connectionrefused") : route.continue(),
  );
  await continueButton(page).click();
  await expect(toast(page, "We couldn't reach our server")).toBeVisible();
  await expect(page).toHaveURL(/\/geographic$/);
  await expect(page.getByLabel("City")).toHaveValue("Springfield");
  await expect(page.getByLabel("ZIP code")).toHaveValue("62701");
  await expect(continueButton(page)).toBeEnabled();
  // The optimistic update was rolled back: the stepper no longer counts the page as done.
  await expect(page.locator('[aria-current="step"]')).toContainText("Where you live");
  await expect(page.locator('[aria-current="step"]')).not.toContainText("completed");
  await page.unrouteAll({ behavior: "wait" });

  await continueButton(page).click();
  await expectStep(page, "contact", "Contact details");
  await expect(toast(page, "Where you live is saved")).toBeVisible();
});

test("when the server is slow: the button is disabled while saving and a toast says it is still saving", async ({ page }) => {
  await startQuote(page);
  await fillGeographic(page, SPRINGFIELD);
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/quote/*/geographic", async (route) => {
    if (route.request().method() === "POST" && route.request().headers()["next-action"]) await released;
    await route.continue();
  });
  await continueButton(page).click();
  await expect(continueButton(page)).toBeDisabled();
  await expect(page.getByText("Saving your answers…")).toBeVisible();
  await expect(toast(page, "Still saving your answers…")).toBeVisible();
  release();
  await expectStep(page, "contact", "Contact details");
  await expect(toast(page, "Still saving your answers…")).toHaveCount(0);
  await page.unrouteAll({ behavior: "ignoreErrors" });
});
