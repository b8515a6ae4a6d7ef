import { randomUUID } from "node:crypto";
import { expect, signedInContext, test } from "./fixtures/agent";
import { answerEverything, expectStep, heading, HEADINGS } from "./fixtures/customer";
import { expectApiSecurityHeaders, expectSecurePage, expectSecurityHeaders, watchBrowserComplaints } from "./fixtures/security-headers";

test.describe("security headers", () => {
  test("the customer's pages carry them, each load with a fresh nonce on its scripts, and the browser blocks nothing", async ({ page }) => {
    test.setTimeout(90_000);
    const complaints = await watchBrowserComplaints(page);

    const firstNonce = await expectSecurePage(page, await page.goto("/"), "home");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Family cover, quoted in minutes");
    // sonner's toasts are styled by a <style> it injects at run time, once its lazily loaded toaster mounts: the
    // browser must have applied its rules.
    const sonnerRules = () =>
      page.evaluate(() =>
        [...document.querySelectorAll("style")].filter((style) => style.textContent?.includes("[data-sonner-toaster]")).map((style) => style.sheet?.cssRules.length ?? 0),
      );
    await expect.poll(sonnerRules).toEqual([expect.any(Number)]);
    expect((await sonnerRules())[0]).toBeGreaterThan(0);
    const secondNonce = await expectSecurePage(page, await page.reload(), "home, loaded again");
    expect(secondNonce).not.toBe(firstNonce);

    // Hydrated under the policy: the start button, the forms and the wizard's navigation all work.
    const quoteId = await answerEverything(page);
    await expectSecurePage(page, await page.goto(`/quote/${quoteId}/geographic`), "a wizard page of a started quote");
    await expect(heading(page, HEADINGS.geographic)).toBeVisible();
    await expectSecurePage(page, await page.goto(`/quote/${quoteId}/review`), "the review page");
    await expectStep(page, "review", "Check your answers");

    expect(complaints.cspViolations).toEqual([]);
    expect(complaints.errors).toEqual([]);
  });

  test("the agents' sign-in page and, signed in, the admin pages carry them and the browser blocks nothing", async ({ browser, agent, baseURL }) => {
    const { context, page } = await signedInContext(() => browser.newContext({ baseURL }), agent, baseURL!);
    const complaints = await watchBrowserComplaints(page);
    await expectSecurePage(page, await page.goto("/admin/quotes"), "the admin quote list");
    await expect(page.getByRole("table")).toBeVisible();
    await context.close();

    const signedOut = await browser.newPage({ baseURL });
    const signedOutComplaints = await watchBrowserComplaints(signedOut);
    await expectSecurePage(signedOut, await signedOut.goto("/admin/sign-in"), "the sign-in page");
    // A toast-free form error: the client code runs under the policy.
    await signedOut.getByRole("button", { name: "Sign in" }).click();
    await expect(signedOut.getByText("Enter your email address")).toBeVisible();
    await signedOut.close();

    expect([...complaints.cspViolations, ...signedOutComplaints.cspViolations]).toEqual([]);
    expect([...complaints.errors, ...signedOutComplaints.errors]).toEqual([]);
  });

  test("a page that does not exist is a 404 that carries them, and its scripts still run", async ({ page, browserErrors }) => {
    browserErrors.expect(/status of 404/);
    const complaints = await watchBrowserComplaints(page);
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expectSecurePage(page, response, "the 404 page");
    expect(complaints.cspViolations).toEqual([]);
  });

  test("every kind of API answer carries them, errors and Better Auth's included", async ({ request }) => {
    const answers: Array<[string, () => ReturnType<typeof request.get>, number]> = [
      ["GET /api/health", () => request.get("/api/health"), 200],
      ["GET /api/ready", () => request.get("/api/ready"), 200],
      ["GET /api/quotes/<unknown id>", () => request.get(`/api/quotes/${randomUUID()}`), 404],
      ["POST /api/quotes", () => request.post("/api/quotes"), 201],
      ["GET /api/openapi.json", () => request.get("/api/openapi.json"), 200],
      ["GET /api/auth/get-session", () => request.get("/api/auth/get-session"), 200],
      ["GET /api/no-such-route", () => request.get("/api/no-such-route"), 404],
    ];
    for (const [what, send, status] of answers) {
      const response = await send();
      expect(response.status(), what).toBe(status);
      expectApiSecurityHeaders(response.headers(), what);
    }
    const unknown = await request.get(`/api/quotes/${randomUUID()}`);
    expect(unknown.headers()["content-type"]).toBe("application/problem+json");
  });

  test("over https (as the app's front proxy reports it) the answers also pin the browser to https", async ({ request }) => {
    const page = await request.get("/", { headers: { "x-forwarded-proto": "https" } });
    expectSecurityHeaders(page.headers(), "/ over https", { https: true });
    expect(page.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");
    for (const path of ["/api/health", "/api/auth/get-session"]) {
      const response = await request.get(path, { headers: { "x-forwarded-proto": "https" } });
      expectApiSecurityHeaders(response.headers(), `${path} over https`, { https: true });
    }
  });

  test("static assets carry the fixed headers", async ({ page, request }) => {
    await page.goto("/");
    const script = await page.locator("script[src^='/_next/static/']").first().getAttribute("src");
    const asset = await request.get(script!);
    expect(asset.status()).toBe(200);
    const headers = asset.headers();
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
  });
});
