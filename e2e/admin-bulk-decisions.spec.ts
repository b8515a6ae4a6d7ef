import { randomUUID } from "node:crypto";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { clientAddress, createUser, expect, signInThroughApi, test } from "./fixtures/agent";
import { submitQuoteAsCustomer, waitForAgentView, waitForCustomerStatus, type CustomerQuote } from "./fixtures/agent-quotes";

/** Quotes whose customers' emails share a prefix, so one search lists exactly them. */
async function quotesTagged(request: Parameters<typeof submitQuoteAsCustomer>[0], count: number) {
  const tag = `bulk-${randomUUID().slice(0, 8)}`;
  const quotes: CustomerQuote[] = [];
  for (let n = 0; n < count; n++) quotes.push(await submitQuoteAsCustomer(request, { email: `${tag}-${n}@example.com` }));
  return { tag, quotes };
}

/** Two submitted quotes and a new agent signed in, in a browser context without JavaScript. */
async function twoQuotesWithoutJavaScript(browser: Browser, request: APIRequestContext, baseURL: string) {
  const { tag, quotes } = await quotesTagged(request, 2);
  const agent = await createUser("agent");
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false, extraHTTPHeaders: { "x-forwarded-for": clientAddress() } });
  await signInThroughApi(context.request, agent, baseURL);
  for (const quote of quotes) await waitForAgentView(context.request, quote);
  return { tag, quotes, context, page: await context.newPage() };
}

const rowOf = (page: Page, quote: CustomerQuote) => page.getByRole("row").filter({ hasText: quote.email });
const itemOf = (page: Page, quote: CustomerQuote) => page.getByTestId("command-item").filter({ has: page.locator(`a[href="/admin/quotes/${quote.quoteId}"]`) });

test.describe("bulk decisions", () => {
  // Several customers' quotes through the API, an agent made by the CLI, then the worker's round per quote.
  test.slow();

  test("an agent approves several quotes at once, one of them already decided: the progress shows each outcome and the list shows them approved", async ({ agentPage: page, request }) => {
    const { tag, quotes } = await quotesTagged(request, 3);
    const agentRequest = page.context().request;
    for (const quote of quotes) await waitForAgentView(agentRequest, quote);
    const [early, ...rest] = quotes as [CustomerQuote, ...CustomerQuote[]];
    const approvedEarly = await agentRequest.post(`/api/admin/quotes/${early.quoteId}/approve`, { data: { reason: "Approved one by one" } });
    expect(approvedEarly.status()).toBe(200);
    await waitForAgentView(agentRequest, early, "approved");

    await page.goto(`/admin/quotes?search=${tag}`);
    for (const quote of quotes) await expect(rowOf(page, quote)).toHaveCount(1, { timeout: 20_000 });
    for (const quote of quotes) await rowOf(page, quote).getByRole("checkbox").check();
    await page.getByRole("button", { name: "Approve selected" }).click();
    await expect(page.getByText("Approving 3 quotes…")).toBeVisible();

    const progress = page.getByTestId("command-progress");
    await expect(progress.getByTestId("command-summary")).toHaveText("Done: 2 approved, 1 not decided of 3", { timeout: 30_000 });
    for (const quote of rest) await expect(itemOf(page, quote)).toContainText("Approved");
    await expect(itemOf(page, early)).toContainText("Not decided: This quote has already been approved.");
    await expect(page.getByText("Bulk decision finished: 2 approved, 1 not decided of 3")).toBeVisible();

    // The list is read again once the command is done.
    for (const quote of quotes) await expect(rowOf(page, quote)).toContainText("Approved", { timeout: 20_000 });
    for (const quote of rest) expect((await waitForCustomerStatus(request, quote, "approved")).decision).toEqual({ outcome: "approved", reason: null });
    expect((await waitForCustomerStatus(request, early, "approved")).decision).toEqual({ outcome: "approved", reason: "Approved one by one" });
  });

  test("without JavaScript: refer without a reason is refused at the field; with one, the progress page follows the command until done", async ({ browser, request, baseURL }) => {
    const { tag, quotes, context, page } = await twoQuotesWithoutJavaScript(browser, request, baseURL!);

    await page.goto(`/admin/quotes?search=${tag}`);
    for (const quote of quotes) await rowOf(page, quote).getByRole("checkbox").check();
    await page.getByRole("button", { name: "Refer selected" }).click();
    await expect(page.getByText("Enter a reason for referring these quotes")).toBeVisible();

    for (const quote of quotes) await rowOf(page, quote).getByRole("checkbox").check();
    await page.getByLabel("Reason for the selected quotes").fill("Second opinion");
    await page.getByRole("button", { name: "Refer selected" }).click();
    await expect(page).toHaveURL(/\/admin\/commands\/[0-9a-f-]{36}$/);
    // The page reloads itself while quotes wait.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Referred 2 quotes", { timeout: 30_000 });
    await expect(page.getByTestId("command-summary")).toHaveText("Done: 2 referred of 2");
    for (const quote of quotes) await expect(itemOf(page, quote)).toContainText("Referred");

    await page.goto(`/admin/quotes?search=${tag}`);
    for (const quote of quotes) await expect(rowOf(page, quote)).toContainText("Referred", { timeout: 20_000 });
    await context.close();
  });

  test("without JavaScript, the same form posted twice (a double click) queues one command", async ({ browser, request, baseURL }) => {
    const { tag, quotes, context, page } = await twoQuotesWithoutJavaScript(browser, request, baseURL!);
    await page.goto(`/admin/quotes?search=${tag}`);

    // What the browser sends when the button is pressed: the form's own fields (the action's and the page's key), the
    // ticked quotes and the button's decision; sent twice, as a second click before the first answer does.
    const form = page.getByRole("form", { name: "Decide several quotes" });
    const hidden = await form.locator("input[type=hidden]").evaluateAll((inputs) => inputs.map((input) => [(input as HTMLInputElement).name, (input as HTMLInputElement).value]));
    expect(hidden.map(([name]) => name)).toContain("idempotencyKey");
    const post = () => {
      const body = new FormData();
      for (const [name, value] of hidden) body.append(name!, value!);
      for (const quote of quotes) body.append("quoteId", quote.quoteId);
      body.append("decision", "approve");
      body.append("reason", "");
      return context.request.post(page.url(), { multipart: body, maxRedirects: 0, headers: { origin: new URL(baseURL!).origin } });
    };
    const [first, second] = await Promise.all([post(), post()]);
    const progressPages = [first, second].map((answer) => answer.headers()["location"] ?? `answered ${answer.status()}`);
    expect(progressPages[0]).toMatch(/\/admin\/commands\/[0-9a-f-]{36}$/);
    expect(progressPages[1]).toBe(progressPages[0]);

    await page.goto(progressPages[0]!);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Approved 2 quotes", { timeout: 30_000 });
    await context.close();
  });
});
