// Every form works before JavaScript loads (here: never loads): each posts to its server action, the password and the
// answers travel in POST bodies only, and a wrong answer comes back at its field.
import { clientAddress, createUser, expect, signInThroughForm, test } from "./fixtures/agent";
import { submitQuoteAsCustomer, waitForAgentView, waitForCustomerStatus } from "./fixtures/agent-quotes";
import { continueButton, fillContact, CONTACT, heading, HEADINGS, quoteIdOf } from "./fixtures/customer";
import { recordRequests } from "./fixtures/request-log";

// One address of its own for this file's sign-ins (the sign-in rate limit counts per address).
test.use({ javaScriptEnabled: false, extraHTTPHeaders: { "x-forwarded-for": clientAddress() } });

test("an agent signs in and approves a submitted quote without JavaScript", async ({ page, request }) => {
  const log = recordRequests(page);
  const quote = await submitQuoteAsCustomer(request);
  const agent = await createUser("agent");

  await signInThroughForm(page, agent);

  await waitForAgentView(page.context().request, quote);
  await page.goto(`/admin/quotes/${quote.quoteId}`);
  // Rejecting needs a reason: the server says so at the field.
  await page.getByRole("button", { name: "Reject" }).click();
  const reason = page.getByLabel("Reason");
  await expect(page.getByText("Enter a reason for rejecting this quote")).toBeVisible();
  await expect(reason).toHaveAttribute("aria-invalid", "true");

  await reason.fill("Checked without JavaScript");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/quotes/${quote.quoteId}$`));
  await expect(page.getByTestId("decision-outcome")).toContainText("Approved");
  await expect(page.getByTestId("decision-outcome")).toContainText("Checked without JavaScript");
  expect((await waitForCustomerStatus(request, quote, "approved")).decision).toEqual({ outcome: "approved", reason: "Checked without JavaScript" });

  expect(log.posts()).toEqual(["/admin/sign-in", `/admin/quotes/${quote.quoteId}`, `/admin/quotes/${quote.quoteId}`]);
  log.expectNoFormFieldsInUrls([agent.password]);
});

test("a customer answers every page, reviews and submits without JavaScript", async ({ page }) => {
  const log = recordRequests(page);
  await page.goto("/");
  await page.getByRole("button", { name: "Get a quote" }).click();
  await expect(page).toHaveURL(/\/quote\/[0-9a-f-]{36}\/geographic$/);
  await expect(heading(page, HEADINGS.geographic)).toBeVisible();
  const quoteId = quoteIdOf(page);

  // Without a script to narrow the list, every country's regions are offered, under the country's name.
  await page.getByLabel("Country").selectOption({ label: "United States" });
  await page.getByLabel("State").selectOption({ label: "Illinois" });
  await page.getByLabel("City").fill("Springfield");
  await page.getByLabel("ZIP code").fill("62701");
  await continueButton(page).click();

  await expect(page).toHaveURL(`/quote/${quoteId}/contact`);
  await expect(heading(page, HEADINGS.contact)).toBeVisible();
  await fillContact(page, CONTACT);
  await continueButton(page).click();

  await expect(page).toHaveURL(`/quote/${quoteId}/family`);
  await expect(heading(page, HEADINGS.family)).toBeVisible();
  await page.getByLabel("Number of dependents").fill("2");
  await page.getByLabel("Spouse name").fill("Grace Lovelace");
  // "Add child" posts the form and it comes back with a row more, the answers so far kept, nothing saved yet.
  await page.getByRole("button", { name: "Add child" }).click();
  await expect(page.getByLabel("Child 1")).toBeVisible();
  await expect(page.getByLabel("Number of dependents")).toHaveValue("2");
  await expect(page.getByLabel("Spouse name")).toHaveValue("Grace Lovelace");
  await page.getByLabel("Child 1").fill("Byron");
  await continueButton(page).click();

  await expect(page).toHaveURL(`/quote/${quoteId}/review`);
  await expect(heading(page, HEADINGS.review)).toBeVisible();
  for (const answer of ["Illinois", "Springfield", "62701", CONTACT.email, CONTACT.phoneNumber, "Grace Lovelace", "Byron"]) {
    await expect(page.getByText(answer, { exact: true })).toBeVisible();
  }
  await page.getByRole("button", { name: "Submit quote" }).click();

  await expect(page).toHaveURL(`/quote/${quoteId}/submitted`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quote submitted");
  await expect(page.getByText("Submitted", { exact: true })).toBeVisible();

  expect(log.posts()).toEqual(["/", ...["geographic", "contact", "family", "family", "review"].map((step) => `/quote/${quoteId}/${step}`)]);
  log.expectNoFormFieldsInUrls([CONTACT.email, "Grace Lovelace"]);
});

test("without JavaScript a wrong answer comes back at its field, and a wrong password says so", async ({ page }) => {
  const log = recordRequests(page);
  await page.goto("/");
  await page.getByRole("button", { name: "Get a quote" }).click();
  await expect(page).toHaveURL(/\/geographic$/);
  await page.getByLabel("Country").selectOption({ label: "United States" });
  await page.getByLabel("State").selectOption({ label: "Illinois" });
  await page.getByLabel("City").fill("Springfield");
  await page.getByLabel("ZIP code").fill("ABC");
  await continueButton(page).click();

  const zipCode = page.getByLabel("ZIP code");
  await expect(zipCode).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("ZIP code must be 5 digits, like 94103, or ZIP+4, like 94103-1234")).toBeVisible();
  await expect(zipCode).toHaveAccessibleDescription(/ZIP code must be 5 digits/);
  // What was typed is still there, and only the wrong field is marked.
  await expect(zipCode).toHaveValue("ABC");
  await expect(page.getByLabel("City")).toHaveValue("Springfield");
  await expect(page.getByLabel("Country")).toHaveValue("US");
  await expect(page.getByLabel("State")).toHaveValue("IL");
  await expect(page.getByLabel("City")).not.toHaveAttribute("aria-invalid", "true");
  await zipCode.fill("62701");
  await continueButton(page).click();
  await expect(page).toHaveURL(/\/contact$/);

  const agent = await createUser("agent");
  const wrongPassword = `not-${agent.password}`;
  await page.goto("/admin/sign-in");
  await page.getByLabel("Email address").fill(agent.email);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your password")).toBeVisible();
  await expect(page.getByLabel("Email address")).toHaveValue(agent.email);
  await page.getByLabel("Password").fill(wrongPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#sign-in-problem")).toContainText("The email address or password is not right. Check them and try again.");
  await expect(page.getByLabel("Password")).toHaveValue("");
  await expect(page).toHaveURL(/\/admin\/sign-in$/);

  log.expectNoFormFieldsInUrls([wrongPassword, agent.email]);
});

test("without JavaScript the sign-in rate limit still counts per address, with the same message", async ({ browser, baseURL }) => {
  const agent = await createUser("agent");
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false, extraHTTPHeaders: { "x-forwarded-for": clientAddress() } });
  const page = await context.newPage();
  const log = recordRequests(page);
  await page.goto("/admin/sign-in");
  const problem = page.locator("#sign-in-problem");
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.getByLabel("Email address").fill(agent.email);
    await page.getByLabel("Password").fill(`wrong password ${attempt}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(problem).toContainText("The email address or password is not right");
  }
  // Even the right password is refused now, as on the page with JavaScript.
  await page.getByLabel("Password").fill(agent.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(problem).toContainText(/Too many sign-in attempts\. Wait \d+ seconds?, then try again\./);
  await expect(page).toHaveURL(/\/admin\/sign-in$/);
  log.expectNoFormFieldsInUrls([agent.password, "wrong password"]);
  await context.close();
});
