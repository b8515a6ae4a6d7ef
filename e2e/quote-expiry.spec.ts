// A submitted quote expires at its validity (QUOTE_VALIDITY_DAYS is 20 seconds on the e2e stack's second web server,
// E2E_SHORT_VALIDITY_URL, see scripts/test/run-all.ts): the customer sees Expired and starts a new quote with the same answers, with and without
// JavaScript; agents see it expired in the list and on its page, and cannot decide it.
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { clientAddress, createUser, expect, signInThroughApi, test } from "./fixtures/agent";
import { waitForAgentView } from "./fixtures/agent-quotes";
import { answerEverything, CONTACT, heading } from "./fixtures/customer";

const requoteButton = (page: Page) => page.getByRole("button", { name: "Start a new quote with these answers" });

test.describe("quote expiry and requote", () => {
  if (process.env.E2E_SHORT_VALIDITY_URL) test.use({ baseURL: process.env.E2E_SHORT_VALIDITY_URL });

  test("a submitted quote expires; the customer sees Expired and starts again with the same answers; agents see Expired and cannot approve it", async ({ page, browser, baseURL }) => {
    test.setTimeout(150_000);
    const email = `expiry-${randomUUID().slice(0, 8)}@example.com`;
    const quoteId = await answerEverything(page, { contact: { ...CONTACT, email } });
    await page.getByRole("button", { name: "Submit quote" }).click();
    await expect(page).toHaveURL(new RegExp(`/quote/${quoteId}/submitted$`));
    await expect(heading(page, "Quote submitted")).toBeVisible();

    // The worker appends QuoteExpired at the quote's expiry moment; the page shows it (reloaded, whatever its polling does).
    await expect(async () => {
      await page.reload();
      await expect(heading(page, "Quote expired")).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 100_000, intervals: [2_000] });
    await expect(page.getByText("Expired", { exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Withdraw this quote" })).toHaveCount(0);

    // Agents: listed as expired, the quote page says so and offers no decision; the API refuses one, saying why.
    const agent = await createUser("agent");
    const agentContext = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": clientAddress() } });
    await signInThroughApi(agentContext.request, agent, baseURL!);
    await waitForAgentView(agentContext.request, { quoteId }, "expired");
    const agentPage = await agentContext.newPage();
    await agentPage.goto(`/admin/quotes?status=expired&search=${encodeURIComponent(email)}`);
    const row = agentPage.getByRole("row").filter({ hasText: email });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Expired");
    await agentPage.goto(`/admin/quotes/${quoteId}`);
    await expect(agentPage.getByRole("heading", { level: 1 })).toContainText("Expired");
    await expect(agentPage.getByTestId("decision-expired")).toContainText("expired");
    await expect(agentPage.getByRole("button", { name: "Approve" })).toHaveCount(0);
    await expect(agentPage.getByRole("list", { name: "Events, oldest first" }).getByRole("listitem").last()).toContainText("Expired: the premium is no longer offered");
    const approve = await agentContext.request.post(`/api/admin/quotes/${quoteId}/approve`, { headers: { origin: new URL(baseURL!).origin }, data: { reason: "Too late" } });
    expect(approve.status()).toBe(409);
    expect(await approve.json()).toMatchObject({ code: "QuoteExpired", detail: expect.stringContaining("so it can't be approved") });
    await agentContext.close();

    // Without JavaScript: the button is a form post; it lands on the new quote's review page with the same answers.
    const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false, storageState: await page.context().storageState() });
    const plain = await noScript.newPage();
    await plain.goto(`/quote/${quoteId}/submitted`);
    await requoteButton(plain).click();
    await expect(plain).toHaveURL(/\/quote\/[0-9a-f-]{36}\/review$/);
    expect(plain.url()).not.toContain(quoteId);
    await expect(heading(plain, "Check your answers")).toBeVisible();
    await expect(plain.getByText(email)).toBeVisible();
    await noScript.close();

    // With JavaScript: the same, then the new quote is submitted at today's premium.
    await requoteButton(page).click();
    await expect(page).toHaveURL(/\/quote\/[0-9a-f-]{36}\/review$/);
    const newQuoteId = /\/quote\/([0-9a-f-]{36})\/review$/.exec(page.url())![1]!;
    expect(newQuoteId).not.toBe(quoteId);
    await expect(page.getByText(email)).toBeVisible();
    await page.getByRole("button", { name: "Submit quote" }).click();
    await expect(page).toHaveURL(new RegExp(`/quote/${newQuoteId}/submitted$`));
    await expect(heading(page, "Quote submitted")).toBeVisible();
  });

  test("POST /api/quotes/{id}/requote: only the quote's customer, only once it has expired", async ({ request }) => {
    const started = await request.post("/api/quotes");
    const { quoteId, accessToken } = (await started.json()) as { quoteId: string; accessToken: string };
    const stranger = await request.post(`/api/quotes/${quoteId}/requote`, { headers: { authorization: `Bearer ${"x".repeat(43)}` } });
    expect(stranger.status()).toBe(404);
    const draft = await request.post(`/api/quotes/${quoteId}/requote`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(draft.status()).toBe(409);
    expect(await draft.json()).toMatchObject({ code: "QuoteNotExpired" });
    const get = await request.get(`/api/quotes/${quoteId}/requote`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(get.status()).toBe(405);
  });
});
