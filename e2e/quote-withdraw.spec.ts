// The customer withdraws a quote: with a confirmation step, with JavaScript (a mutation and a toast) and without
// (two form posts to a server action); agents then see it withdrawn and cannot decide it.
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { clientAddress, createUser, expect, signInThroughApi, test } from "./fixtures/agent";
import { customerView, submitQuoteAsCustomer, waitForAgentView, waitForCustomerStatus } from "./fixtures/agent-quotes";
import { decideAsAgent } from "./fixtures/customer-agent-decision";
import { answerEverything, CONTACT, expectAccessible, heading, toast } from "./fixtures/customer";
import { recordRequests } from "./fixtures/request-log";

const withdrawButton = (page: Page) => page.getByRole("button", { name: "Withdraw this quote" });
const confirmButton = (page: Page) => page.getByRole("button", { name: "Yes, withdraw this quote" });
const confirmation = (page: Page) => page.getByRole("group", { name: "Are you sure you want to withdraw this quote?" });

/** An agent, signed in in a browser context of its own, looks the quote up: listed as withdrawn, and no decision possible. */
async function agentSeesItWithdrawn(browser: Browser, baseURL: string, quoteId: string, email: string, javaScriptEnabled: boolean) {
  const agent = await createUser("agent");
  const context = await browser.newContext({ baseURL, javaScriptEnabled, extraHTTPHeaders: { "x-forwarded-for": clientAddress() } });
  await signInThroughApi(context.request, agent, baseURL);
  await waitForAgentView(context.request, { quoteId }, "cancelled");
  const page = await context.newPage();

  await page.goto(`/admin/quotes?status=cancelled&search=${encodeURIComponent(email)}`);
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Withdrawn");
  await expect(page.getByLabel("Status")).toHaveValue("cancelled");

  await page.goto(`/admin/quotes/${quoteId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Withdrawn");
  await expect(page.getByTestId("decision-withdrawn")).toHaveText("The customer withdrew this quote, so it can no longer be approved, rejected or referred.");
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Events, oldest first" }).getByRole("listitem").last()).toContainText("Withdrawn by the customer");

  // Sent anyway (a page opened before the withdrawal, say), approving is refused, saying why.
  const approve = await context.request.post(`/api/admin/quotes/${quoteId}/approve`, { headers: { origin: new URL(baseURL).origin }, data: {} });
  expect(approve.status()).toBe(409);
  expect(await approve.json()).toMatchObject({ code: "QuoteCancelled", detail: "This quote has been withdrawn by the customer, so it can't be approved." });
  await context.close();
}

test.describe("withdrawing a quote", () => {
  test("a customer submits, withdraws after confirming, sees Withdrawn; an agent sees it withdrawn and cannot approve it", async ({ page, browser, baseURL }) => {
    const email = `withdraw-${randomUUID().slice(0, 8)}@example.com`;
    const quoteId = await answerEverything(page, { contact: { ...CONTACT, email } });
    await page.getByRole("button", { name: "Submit quote" }).click();
    await expect(page).toHaveURL(new RegExp(`/quote/${quoteId}/submitted$`));
    await expect(heading(page, "Quote submitted")).toBeVisible();

    // The first button only asks; "No, keep it" leaves the quote as it was.
    await withdrawButton(page).click();
    await expect(confirmation(page)).toBeFocused();
    await page.getByRole("button", { name: "No, keep it" }).click();
    await expect(confirmation(page)).toHaveCount(0);
    await expect(page.getByText("Submitted", { exact: true })).toBeVisible();

    await withdrawButton(page).click();
    await expect(confirmation(page)).toBeFocused();
    await expectAccessible(page, "the outcome page asking to confirm the withdrawal");
    await confirmButton(page).click();
    await expect(toast(page, "Quote withdrawn")).toBeVisible();
    await expect(heading(page, "Quote withdrawn")).toBeVisible();
    await expect(page.getByText("Withdrawn", { exact: true })).toBeVisible();
    await expect(withdrawButton(page)).toHaveCount(0);

    // Reloaded, from the read model: still withdrawn, and the wizard's pages are closed.
    await page.reload();
    await expect(heading(page, "Quote withdrawn")).toBeVisible();
    await expect(page.getByRole("link", { name: "Start a new quote" })).toBeVisible();
    await expectAccessible(page, "the withdrawn quote's outcome page");
    await page.goto(`/quote/${quoteId}/contact`);
    await expect(page).toHaveURL(new RegExp(`/quote/${quoteId}/submitted$`));
    await expect(heading(page, "Quote withdrawn")).toBeVisible();

    await agentSeesItWithdrawn(browser, baseURL!, quoteId, email, true);
  });

  test("an approved quote offers no withdrawal, and the API says why not", async ({ page, request, baseURL }) => {
    const quote = await submitQuoteAsCustomer(request);
    await decideAsAgent(quote.quoteId, "approve");
    await waitForCustomerStatus(request, quote, "approved");
    await page.context().addCookies([{ name: `quote_access_${quote.quoteId}`, value: quote.accessToken, url: baseURL! }]);
    await page.goto(`/quote/${quote.quoteId}/submitted`);
    await expect(heading(page, "Quote approved")).toBeVisible();
    await expect(withdrawButton(page)).toHaveCount(0);
    const refused = await request.post(`/api/quotes/${quote.quoteId}/cancel`, { headers: { authorization: `Bearer ${quote.accessToken}` } });
    expect(refused.status()).toBe(409);
    expect(await refused.json()).toMatchObject({ code: "QuoteAlreadyDecided", detail: "This quote has already been approved, so it can't be withdrawn." });
    expect((await customerView(request, quote)).status).toBe("approved");
  });
});

test.describe("withdrawing a quote without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a draft is withdrawn from the review page in two posts, confirming first", async ({ page, request, browser, baseURL }) => {
    const log = recordRequests(page);
    const quote = await submitQuoteAsCustomer(request, { submit: false });
    await page.context().addCookies([{ name: `quote_access_${quote.quoteId}`, value: quote.accessToken, url: baseURL! }]);
    await page.goto(`/quote/${quote.quoteId}/review`);
    await expect(heading(page, "Check your answers")).toBeVisible();

    await withdrawButton(page).click();
    await expect(page).toHaveURL(new RegExp(`/quote/${quote.quoteId}/review$`));
    await expect(confirmation(page)).toBeVisible();
    await confirmButton(page).click();

    await expect(page).toHaveURL(new RegExp(`/quote/${quote.quoteId}/submitted$`));
    await expect(heading(page, "Quote withdrawn")).toBeVisible();
    await expect(page.getByText("Withdrawn", { exact: true })).toBeVisible();
    await expect(withdrawButton(page)).toHaveCount(0);
    expect(log.posts()).toEqual([`/quote/${quote.quoteId}/review`, `/quote/${quote.quoteId}/review`]);
    log.expectNoFormFieldsInUrls();

    await agentSeesItWithdrawn(browser, baseURL!, quote.quoteId, quote.email, false);
  });
});
