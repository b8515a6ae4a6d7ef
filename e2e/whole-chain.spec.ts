// The whole chain, each side in its own browser: a customer fills in the wizard and submits; an agent approves the
// quote in the admin pages; the customer's open page turns to approved; the worker emails the customer twice ("we have
// your quote", then the approval), and neither email carries the quote's access token.
import { randomUUID } from "node:crypto";
import { createUser, expect, signedInContext, test } from "./fixtures/agent";
import { waitForAgentView } from "./fixtures/agent-quotes";
import { answerEverything, APPLICATION_NUMBER, CONTACT, heading } from "./fixtures/customer";
import type { CaughtEmail } from "../lib/notifications/testing/mail-catcher";
import { emailsTo } from "./fixtures/mail";

// The number normally arrives within a second; the worker's lease (60 s) when its request races a customer's save.
const NUMBER_TIMEOUT = 75_000;

test("a customer submits in the wizard, an agent approves it, the customer sees it and gets both emails once, without the access token", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  const email = `whole-chain-${randomUUID().slice(0, 8)}@example.com`;

  // The customer's side: the wizard, in the default browser context.
  const quoteId = await answerEverything(page, { contact: { ...CONTACT, email } });
  await page.getByRole("button", { name: "Submit quote" }).click();
  await expect(page).toHaveURL(new RegExp(`/quote/${quoteId}/submitted$`));
  await expect(heading(page, "Quote submitted")).toBeVisible();
  const status = page.getByRole("status").filter({ hasText: "Status" });
  await expect(status).toContainText(APPLICATION_NUMBER, { timeout: NUMBER_TIMEOUT });
  const applicationNumber = (await status.textContent())!.match(APPLICATION_NUMBER)![0];
  const monthlyPremium = (await page.locator(".premium-total strong").textContent())!;
  expect(monthlyPremium).toMatch(/^\$[\d,]+\.\d{2}$/);
  const accessToken = (await page.context().cookies()).find((cookie) => cookie.name === `quote_access_${quoteId}`)?.value;
  expect(accessToken, "the wizard left the customer an access cookie").toBeTruthy();

  // The agent's side, in another browser context: find the quote and approve it.
  const agent = await createUser("agent");
  const { context: agentContext, page: agentPage } = await signedInContext(() => browser.newContext({ baseURL }), agent, baseURL!);
  await waitForAgentView(agentContext.request, { quoteId });
  await agentPage.goto(`/admin/quotes?search=${encodeURIComponent(email)}`);
  await agentPage.getByRole("row").filter({ hasText: email }).getByRole("link", { name: applicationNumber }).click();
  await expect(agentPage.getByRole("heading", { level: 1 })).toContainText(applicationNumber);
  await agentPage.getByLabel("Reason").fill("Everything checks out");
  await agentPage.getByRole("button", { name: "Approve" }).click();
  await expect(agentPage.getByTestId("decision-outcome")).toContainText(`Approved by ${agent.name}`);
  await agentContext.close();

  // The customer's page, left open, turns to approved by itself.
  await expect(heading(page, "Quote approved")).toBeVisible({ timeout: 20_000 });
  await expect(status).toContainText("Approved");
  await expect(status).toContainText("Everything checks out");

  // Both emails reach the customer's address.
  const submittedSubject = `We have your Family Cover quote ${applicationNumber}`;
  const approvedSubject = `Good news: your Family Cover quote ${applicationNumber} is approved`;
  await expect
    .poll(async () => (await emailsTo(email)).map((message) => message.subject).sort(), { timeout: 60_000, intervals: [500, 1000, 2000] })
    .toEqual([approvedSubject, submittedSubject].sort());

  const messages = await emailsTo(email);
  const bySubject = (subject: string) => messages.find((message) => message.subject === subject)!;
  const expectEmail = (message: CaughtEmail, status: string) => {
    expect(message.to).toEqual([email]);
    expect(message.deliveries, `"${message.subject}" was delivered once`).toBe(1);
    for (const body of [message.text, message.html]) {
      expect(body).toContain(applicationNumber);
      expect(body).toContain(`${monthlyPremium} a month`);
      expect(body).toContain(status);
      expect(body).toContain(`/quote/${quoteId}`);
    }
    expect(message.text).toContain(`Application number: ${applicationNumber}`);
    expect(message.text).toContain(`Monthly premium: ${monthlyPremium} a month`);
    expect(JSON.stringify(message), `"${message.subject}" holds no access token`).not.toContain(accessToken!);
    expect(`${message.text}\n${message.html}`).not.toMatch(/token/i);
  };
  expectEmail(bySubject(submittedSubject), "Submitted");
  expectEmail(bySubject(approvedSubject), "Approved");
  expect(bySubject(approvedSubject).text).toContain("One of our underwriters has looked at your quote and approved it.");
  expect(new Set(messages.map((message) => message.messageId)).size, "two messages, each with its own Message-ID").toBe(2);
});
