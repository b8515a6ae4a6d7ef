import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/agent";
import { submitQuoteAsCustomer, waitForAgentView } from "./fixtures/agent-quotes";

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
}

test.describe("admin accessibility (axe)", () => {
  test("the sign-in page, with and without an error, has no serious or critical violation", async ({ page }) => {
    await page.goto("/admin/sign-in");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Enter your email address")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("the list, a quote, its field error and the funnel have no serious or critical violation", async ({ agentPage: page, request }) => {
    const quote = await submitQuoteAsCustomer(request);
    await waitForAgentView(page.context().request, quote);
    await page.goto("/admin/quotes");
    await expect(page.getByRole("table")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`/admin/quotes/${quote.quoteId}`);
    await expect(page.getByRole("heading", { name: "Timeline" })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Reject" }).click();
    await expect(page.getByText("Enter a reason for rejecting this quote")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto("/admin/funnel");
    await expect(page.getByRole("img", { name: /Quote funnel/ })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
