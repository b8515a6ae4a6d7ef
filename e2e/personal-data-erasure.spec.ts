// "Delete my data": the customer erases the quote's personal data after confirming, with JavaScript (a mutation and
// a toast) and without (two form posts); the answers then read "[erased]" for the customer, in their export and for
// agents, while the status, premium and the funnel's counts stay.
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, signedInContext, test } from "./fixtures/agent";
import { submitQuoteAsCustomer } from "./fixtures/agent-quotes";
import { answerEverything, CONTACT, expectAccessible, heading, toast } from "./fixtures/customer";
import { recordRequests } from "./fixtures/request-log";

const ERASED = "[erased]";
const deleteButton = (page: Page) => page.getByRole("button", { name: "Delete my data" });
const confirmButton = (page: Page) => page.getByRole("button", { name: "Yes, delete my data" });
const confirmation = (page: Page) => page.getByRole("group", { name: "Are you sure you want to delete your data?" });

interface QuoteAsCustomer {
  status: string;
  premium: { monthly: number } | null;
  contactDetails: { email: string; phoneNumber: string } | null;
  familyDetails: { spouseName?: string; childrenNames: string[] } | null;
  geographicDetails: { city: string; zipCode: string; state: string } | null;
  personalDataErased: boolean;
}

test.describe("deleting my data", () => {
  test("a customer deletes the data of a submitted quote after confirming; it reads erased everywhere, status and premium stay", async ({ page, agentPage, baseURL }) => {
    const email = `erase-${randomUUID().slice(0, 8)}@example.com`;
    const quoteId = await answerEverything(page, { contact: { ...CONTACT, email } });
    await page.getByRole("button", { name: "Submit quote" }).click();
    await expect(page).toHaveURL(new RegExp(`/quote/${quoteId}/submitted$`));
    await expect(heading(page, "Quote submitted")).toBeVisible();

    // The first button only asks; "No, keep it" leaves everything as it was.
    await deleteButton(page).click();
    await expect(confirmation(page)).toBeFocused();
    await confirmation(page).getByRole("button", { name: "No, keep it" }).click();
    await expect(confirmation(page)).toHaveCount(0);

    await deleteButton(page).click();
    await expect(confirmation(page)).toBeFocused();
    await confirmButton(page).click();
    await expect(toast(page, "Your data was deleted")).toBeVisible();
    await expect(page.getByTestId("personal-data-erased")).toContainText("Your personal data was deleted");
    await expect(deleteButton(page)).toHaveCount(0);
    await expect(page.getByText("Submitted", { exact: true })).toBeVisible();

    // Reloaded, from the read model: still erased, and the API, the export and the PDF's source say so too.
    await page.reload();
    await expect(page.getByTestId("personal-data-erased")).toBeVisible();
    await expectAccessible(page, "the outcome page of a quote whose data was deleted");
    const view = (await (await page.context().request.get(`/api/quotes/${quoteId}`)).json()) as QuoteAsCustomer;
    expect(view).toMatchObject({ status: "submitted", personalDataErased: true, contactDetails: { email: ERASED, phoneNumber: ERASED } });
    expect(view.geographicDetails).toMatchObject({ city: ERASED, zipCode: ERASED, state: "IL" });
    expect(view.premium?.monthly).toBeGreaterThan(0);
    const exported = await (await page.context().request.get(`/api/quotes/${quoteId}/personal-data`)).text();
    expect(exported).not.toContain(email);

    // A second delete (another tab, say) is refused as already done; the wizard's pages are closed.
    const again = await page.context().request.post(`/api/quotes/${quoteId}/erase`, { headers: { origin: new URL(baseURL!).origin } });
    expect(again.status()).toBe(409);
    await page.goto(`/quote/${quoteId}/contact`);
    await expect(page).toHaveURL(new RegExp(`/quote/${quoteId}/submitted$`));

    // The agent's page shows the quote, its premium and status, with "[erased]" where the answers were.
    await expect(async () => {
      await agentPage.goto(`/admin/quotes/${quoteId}`);
      await expect(agentPage.getByRole("list", { name: "Events, oldest first" }).getByRole("listitem").last()).toContainText("Personal data erased", { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(agentPage.getByText(email)).toHaveCount(0);
    await expect(agentPage.getByText(ERASED).first()).toBeVisible();
  });
});

test.describe("deleting my data without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a draft's data is deleted from the review page in two posts, confirming first", async ({ page, request, baseURL }) => {
    const log = recordRequests(page);
    const quote = await submitQuoteAsCustomer(request, { submit: false });
    await page.context().addCookies([{ name: `quote_access_${quote.quoteId}`, value: quote.accessToken, url: baseURL! }]);
    // The review page shows the answers once the read model has them.
    await expect(async () => {
      await page.goto(`/quote/${quote.quoteId}/review`);
      await expect(page.getByText(quote.email)).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(heading(page, "Check your answers")).toBeVisible();

    await deleteButton(page).click();
    await expect(page).toHaveURL(new RegExp(`/quote/${quote.quoteId}/review$`));
    await expect(confirmation(page)).toBeVisible();
    await confirmButton(page).click();

    await expect(page).toHaveURL(new RegExp(`/quote/${quote.quoteId}/submitted$`));
    await expect(page.getByTestId("personal-data-erased")).toBeVisible();
    await expect(deleteButton(page)).toHaveCount(0);
    const view = (await (await page.context().request.get(`/api/quotes/${quote.quoteId}`)).json()) as QuoteAsCustomer;
    expect(view).toMatchObject({ status: "draft", personalDataErased: true, contactDetails: { email: ERASED } });
    expect(view.familyDetails).toMatchObject({ spouseName: ERASED, childrenNames: [ERASED] });
    expect(log.posts()).toEqual([`/quote/${quote.quoteId}/review`, `/quote/${quote.quoteId}/review`]);
    log.expectNoFormFieldsInUrls();

    // The review page is closed to an erased draft: nothing is left to check or submit.
    await page.goto(`/quote/${quote.quoteId}/review`);
    await expect(page).toHaveURL(new RegExp(`/quote/${quote.quoteId}/submitted$`));
  });
});

test.describe("an agent erasing a customer's data without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the agent gives a reason and confirms; the quote page then reads erased, its status and premium stay", async ({ agent, browser, request, baseURL }) => {
    const quote = await submitQuoteAsCustomer(request);
    const { context, page } = await signedInContext(() => browser.newContext({ javaScriptEnabled: false }), agent, baseURL!);
    const log = recordRequests(page);
    await expect(async () => {
      await page.goto(`/admin/quotes/${quote.quoteId}`);
      await expect(page.getByText(quote.email, { exact: true })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    const form = page.locator("details", { hasText: "Erase the customer's personal data" });
    await form.locator("summary").click();

    // A reason without the confirmation is refused, naming what is missing; the reason typed stays.
    await form.getByLabel("Who asked, and why").fill("The customer asked by phone");
    await form.getByRole("button", { name: "Erase personal data" }).click();
    await expect(page.getByText("Tick the box to confirm that the personal data is erased for good")).toBeVisible();
    await expect(page.getByText(quote.email, { exact: true })).toBeVisible();
    await expect(form.getByLabel("Who asked, and why")).toHaveValue("The customer asked by phone");

    await form.getByLabel("I understand this cannot be undone").check();
    await form.getByRole("button", { name: "Erase personal data" }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/quotes/${quote.quoteId}$`));
    await expect(page.getByTestId("personal-data-erased")).toBeVisible();
    await expect(page.getByText(quote.email)).toHaveCount(0);
    await expect(page.getByText(ERASED).first()).toBeVisible();
    await expect(page.getByRole("list", { name: "Events, oldest first" }).getByRole("listitem").last()).toContainText(`Personal data erased at the request of agent`);
    const view = (await (await request.get(`/api/quotes/${quote.quoteId}`, { headers: { authorization: `Bearer ${quote.accessToken}` } })).json()) as QuoteAsCustomer;
    expect(view).toMatchObject({ status: "submitted", personalDataErased: true, contactDetails: { email: ERASED } });
    expect(view.premium?.monthly).toBeGreaterThan(0);
    log.expectNoFormFieldsInUrls();
    await context.close();
  });
});
