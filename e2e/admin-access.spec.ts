import { clientAddress, createUser, expect, signInThroughApi, test } from "./fixtures/agent";
import { submitQuoteAsCustomer, waitForAgentView, waitForCustomerStatus } from "./fixtures/agent-quotes";

test.describe("agent access", () => {
  test("without a session, every admin page redirects to sign-in and comes back after it", async ({ page, request }) => {
    const quote = await submitQuoteAsCustomer(request);
    for (const path of ["/admin", "/admin/quotes?status=submitted", `/admin/quotes/${quote.quoteId}`, "/admin/funnel"]) {
      await page.goto(path);
      await expect(page, path).toHaveURL(/\/admin\/sign-in\?next=/);
      await expect(page.getByRole("heading", { level: 1, name: "Sign in as an agent" })).toBeVisible();
    }
    expect(new URL(page.url()).searchParams.get("next")).toMatch(/^\/admin\/funnel/);
  });

  test("without a session the admin API and the approve action are refused (401/403) and change nothing", async ({ browser, request, baseURL, browserErrors }) => {
    browserErrors.expect(/status of 401/); // the quote page's background refresh once this test has ended the session
    const quote = await submitQuoteAsCustomer(request);

    // The API with no session: 401 problem+json.
    for (const [method, path, data] of [
      ["GET", "/api/admin/quotes", undefined],
      ["GET", `/api/admin/quotes/${quote.quoteId}`, undefined],
      ["POST", `/api/admin/quotes/${quote.quoteId}/approve`, {}],
      ["POST", `/api/admin/quotes/${quote.quoteId}/reject`, { reason: "No" }],
      ["POST", `/api/admin/quotes/${quote.quoteId}/refer`, { reason: "Check" }],
    ] as const) {
      const res = await request.fetch(path, { method, data });
      expect(res.status(), `${method} ${path}`).toBe(401);
      expect(res.headers()["content-type"]).toBe("application/problem+json");
      expect(await res.json()).toMatchObject({ status: 401, title: "Sign-in required" });
    }

    // Signed in, but not as an agent: 403.
    const viewer = await createUser("viewer");
    const viewerContext = await browser.newContext({ baseURL });
    await signInThroughApi(viewerContext.request, viewer, baseURL!);
    const forbidden = await viewerContext.request.post(`/api/admin/quotes/${quote.quoteId}/approve`, { data: {} });
    expect(forbidden.status()).toBe(403);
    expect(await forbidden.json()).toMatchObject({ status: 403, detail: expect.stringContaining("not an agent account") });
    // …and the admin pages send them to sign-in, saying why.
    const viewerPage = await viewerContext.newPage();
    await viewerPage.goto("/admin/quotes");
    await expect(viewerPage).toHaveURL(/\/admin\/sign-in\?.*reason=forbidden/);
    await expect(viewerPage.getByText(`You are signed in as ${viewer.email}, which is not an agent account`)).toBeVisible();
    await viewerContext.close();

    // The approve server action, called after the session is gone: refused on the server, the quote unchanged.
    const agent = await createUser("agent");
    const context = await browser.newContext({ baseURL });
    await signInThroughApi(context.request, agent, baseURL!);
    await waitForAgentView(context.request, quote);
    const page = await context.newPage();
    await page.goto(`/admin/quotes/${quote.quoteId}`);
    await expect(page.getByRole("button", { name: "Approve" })).toBeEnabled();
    await context.clearCookies();
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByTestId("decision-problem")).toContainText("Your session has ended");
    await expect(page.getByRole("button", { name: "Approve" })).toBeVisible(); // the optimistic decision was put back
    await context.close();

    // Nothing changed: the first real decision is accepted (not "already decided"), and it is the only one.
    const check = await browser.newContext({ baseURL });
    await signInThroughApi(check.request, agent, baseURL!);
    const decided = await check.request.post(`/api/admin/quotes/${quote.quoteId}/refer`, { data: { reason: "Checking nothing slipped through" } });
    expect(decided.status(), await decided.text()).toBe(200);
    const { version } = (await decided.json()) as { version: number };
    const detail = await check.request.get(`/api/admin/quotes/${quote.quoteId}?minVersion=${version}`);
    const timeline = ((await detail.json()) as { timeline: Array<{ type: string }> }).timeline.map((entry) => entry.type);
    expect(timeline.filter((type) => /^Quote(Approved|Rejected|Referred)$/.test(type))).toEqual(["QuoteReferred"]);
    expect((await waitForCustomerStatus(request, quote, "referred")).decision?.reason).toBe("Checking nothing slipped through");
    await check.close();
  });

  test("the session cookie is httpOnly and SameSite=Lax (Secure only over https)", async ({ agentPage: page }) => {
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name.endsWith("better-auth.session_token"));
    expect(session).toBeDefined();
    expect(session!.httpOnly).toBe(true);
    expect(session!.sameSite).toBe("Lax");
    expect(session!.secure).toBe(false); // this suite runs over plain http on 127.0.0.1
  });

  test("sign-in attempts are rate limited, with a message saying how long to wait", async ({ browser, baseURL, browserErrors }) => {
    browserErrors.expect(/status of 401/, /status of 429/); // the wrong passwords this test types, then the limit
    const agent = await createUser("agent");
    const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": clientAddress() } });
    const page = await context.newPage();
    await page.goto("/admin/sign-in");
    await page.getByLabel("Email address").fill(agent.email);
    const password = page.getByLabel("Password");
    const submit = page.getByRole("button", { name: "Sign in" });
    // The form's own alert (Next.js's route announcer is an alert too).
    const alert = page.locator("#sign-in-problem");
    for (let attempt = 1; attempt <= 5; attempt++) {
      await password.fill(`wrong password ${attempt}`);
      await submit.click();
      await expect(alert).toContainText("The email address or password is not right");
      await expect(submit).toBeEnabled();
    }
    await password.fill(agent.password);
    await submit.click();
    await expect(alert).toContainText(/Too many sign-in attempts\. Wait \d+ seconds?, then try again\./);
    await expect(page).toHaveURL(/\/admin\/sign-in/);
    await context.close();
  });

  test("an agent signs out and the admin is closed again", async ({ agentPage: page }) => {
    await page.goto("/admin/quotes");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/admin\/sign-in/);
    await page.goto("/admin/quotes");
    await expect(page).toHaveURL(/\/admin\/sign-in\?next=/);
  });
});
