import { clientAddress, createUser, expect, signInThroughForm, signedInContext, test } from "./fixtures/agent";
import { customerView, submitQuoteAsCustomer, waitForAgentView, waitForApplicationNumber, waitForCustomerStatus } from "./fixtures/agent-quotes";

test.describe("agent decisions", () => {
  test("a customer submits; an agent signs in, finds it by application number, sees its timeline and approves it; the customer then sees approved", async ({ browser, request, baseURL }) => {
    const quote = await submitQuoteAsCustomer(request, { applicationNumberFirst: true });
    const applicationNumber = await waitForApplicationNumber(request, quote);
    const agent = await createUser("agent");

    // The agent signs in through the form (the one spec that does), from an address of its own.
    const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": clientAddress() } });
    const page = await context.newPage();
    await signInThroughForm(page, agent);

    // Find it by its application number (the read model may take a moment to catch up).
    const search = page.getByRole("searchbox", { name: "Search" });
    await search.fill(applicationNumber);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(new RegExp(`search=${applicationNumber}`));
    const row = page.getByRole("row").filter({ hasText: applicationNumber });
    await expect(row).toHaveCount(1, { timeout: 20_000 });
    await expect(row).toContainText(quote.email);
    await expect(row).toContainText("Submitted");
    await row.getByRole("link", { name: applicationNumber }).click();

    await expect(page.getByRole("heading", { level: 1 })).toContainText(applicationNumber);
    const timeline = page.getByRole("list", { name: "Events, oldest first" });
    await expect(timeline.getByRole("listitem")).toHaveCount(6, { timeout: 20_000 });
    await expect(timeline).toContainText("Quote started");
    await expect(timeline).toContainText(`Contact details: ${quote.email}`);
    await expect(timeline).toContainText(/Submitted: \$[\d,.]+ a month/);
    await expect(timeline).toContainText(`Application number ${applicationNumber} assigned`);
    await expect(timeline.getByRole("listitem").first()).toContainText("Customer");
    await expect(page.getByRole("table", { name: /How the monthly premium/ })).toBeVisible();

    await page.getByLabel("Reason").fill("Everything checks out");
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByText("Quote approved")).toBeVisible();
    await expect(page.getByTestId("decision-outcome")).toContainText("Approved");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Approved");
    // The event records the agent, by name, once the projection has it.
    await expect(timeline.getByRole("listitem").last()).toContainText(`Approved: Everything checks out`, { timeout: 20_000 });
    await expect(timeline.getByRole("listitem").last()).toContainText(`${agent.name} (${agent.email})`);

    const view = await waitForCustomerStatus(request, quote, "approved");
    expect(view.decision).toEqual({ outcome: "approved", reason: "Everything checks out" });
    await context.close();

    // The customer's own page (their access cookie, as the wizard leaves it) says so too.
    const customer = await browser.newContext({ baseURL });
    await customer.addCookies([{ name: `quote_access_${quote.quoteId}`, value: quote.accessToken, url: baseURL! }]);
    const customerPage = await customer.newPage();
    await customerPage.goto(`/quote/${quote.quoteId}/submitted`);
    await expect(customerPage.getByRole("heading", { level: 1 })).toHaveText("Quote approved");
    await expect(customerPage.getByText("Approved", { exact: true })).toBeVisible();
    await customer.close();
  });

  test("reject (and refer) without a reason is refused at the field, and nothing is sent", async ({ agentPage: page, request }) => {
    const quote = await submitQuoteAsCustomer(request);
    await waitForAgentView(page.context().request, quote);
    await page.goto(`/admin/quotes/${quote.quoteId}`);
    const reason = page.getByLabel("Reason");
    const commands: string[] = [];
    page.on("request", (req) => {
      if (req.method() === "POST" && req.headers()["next-action"]) commands.push(req.url());
    });

    await page.getByRole("button", { name: "Reject" }).click();
    await expect(page.getByText("Enter a reason for rejecting this quote")).toBeVisible();
    await expect(reason).toHaveAttribute("aria-invalid", "true");
    await expect(reason).toBeFocused();

    await page.getByRole("button", { name: "Refer" }).click();
    await expect(page.getByText("Enter a reason for referring this quote")).toBeVisible();
    expect(commands, "no server action was called").toEqual([]);
    await expect(page.getByTestId("decision-outcome")).toHaveCount(0);

    await reason.fill("The postcode does not match the city");
    await page.getByRole("button", { name: "Reject" }).click();
    await expect(page.getByText("Quote rejected")).toBeVisible();
    await expect(page.getByTestId("decision-outcome")).toContainText("Rejected");
    expect(commands).toHaveLength(1);
    expect((await waitForCustomerStatus(request, quote, "rejected")).decision).toEqual({ outcome: "rejected", reason: "The postcode does not match the city" });
  });

  test("two agents deciding the same quote at once: one decision wins, the other sees why", async ({ browser, request, baseURL }) => {
    const quote = await submitQuoteAsCustomer(request);
    const [alice, bob] = await Promise.all([createUser("agent", "Alice Agent"), createUser("agent", "Bob Agent")]);
    const a = await signedInContext(() => browser.newContext({ baseURL }), alice, baseURL!);
    const b = await signedInContext(() => browser.newContext({ baseURL }), bob, baseURL!);
    await waitForAgentView(a.context.request, quote);
    await Promise.all([a.page.goto(`/admin/quotes/${quote.quoteId}`), b.page.goto(`/admin/quotes/${quote.quoteId}`)]);
    await expect(a.page.getByRole("button", { name: "Approve" })).toBeEnabled();
    await b.page.getByLabel("Reason").fill("Too many dependents for this plan");
    await expect(b.page.getByRole("button", { name: "Reject" })).toBeEnabled();

    await Promise.all([a.page.getByRole("button", { name: "Approve" }).click(), b.page.getByRole("button", { name: "Reject" }).click()]);

    await expect.poll(async () => (await customerView(request, quote)).status, { timeout: 20_000 }).toMatch(/^(approved|rejected)$/);
    const view = await customerView(request, quote);
    const [winner, loser, lost] = view.status === "approved" ? [a, b, "rejected"] : [b, a, "approved"];
    expect(["approved", "rejected"]).toContain(view.status);
    await expect(winner.page.getByText(view.status === "approved" ? "Quote approved" : "Quote rejected")).toBeVisible();
    const problem = loser.page.getByTestId("decision-problem");
    await expect(problem).toBeVisible();
    await expect(problem).toContainText(`This quote has already been ${view.status}, so it can't be ${lost === "approved" ? "approved" : "rejected"}.`);
    // Both now show the one decision that was made, and who made it.
    for (const { page } of [a, b]) await expect(page.getByTestId("decision-outcome")).toContainText(view.status === "approved" ? "Approved by Alice Agent" : "Rejected by Bob Agent");

    // A late call through the agent API gets the same answer as problem+json.
    const late = await loser.context.request.post(`/api/admin/quotes/${quote.quoteId}/refer`, { data: { reason: "Second opinion" } });
    expect(late.status()).toBe(409);
    expect(late.headers()["content-type"]).toBe("application/problem+json");
    expect(await late.json()).toMatchObject({ code: "QuoteAlreadyDecided", detail: `This quote has already been ${view.status}, so it can't be referred.` });
    expect((await customerView(request, quote)).decision?.outcome).toBe(view.status);
    await a.context.close();
    await b.context.close();
  });
});
