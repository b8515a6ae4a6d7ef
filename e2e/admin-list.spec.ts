import { expect, test } from "./fixtures/agent";
import { submitQuoteAsCustomer } from "./fixtures/agent-quotes";

test.describe("agent quote list and funnel", () => {
  test("a new submission appears in the list without a reload", async ({ agentPage: page, request }) => {
    await page.goto("/admin/quotes?search=customer-&status=submitted");
    await expect(page.getByRole("heading", { level: 1, name: "Quotes" })).toBeVisible();
    // A reload loads a new document; the list's own URL updates (same document) are not reloads.
    let navigations = 0;
    page.on("load", () => navigations++);
    const quote = await submitQuoteAsCustomer(request);
    await expect(page.getByRole("row").filter({ hasText: quote.email })).toBeVisible({ timeout: 25_000 });
    expect(navigations, "the page was not reloaded").toBe(0);
  });

  test("filters, search, sort and page live in the URL", async ({ agentPage: page, request }) => {
    const quotes = [await submitQuoteAsCustomer(request), await submitQuoteAsCustomer(request), await submitQuoteAsCustomer(request, { submit: false })];
    // Search by a spouse's name (names, email and application number are searched).
    await page.goto(`/admin/quotes?search=${encodeURIComponent(quotes[0]!.spouseName)}`);
    await expect(page.getByRole("row").filter({ hasText: quotes[0]!.email })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue(quotes[0]!.spouseName);

    // Drafts only, via the status filter.
    await page.getByRole("searchbox", { name: "Search" }).fill("");
    await page.getByLabel("Status").selectOption("draft");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/status=draft/);
    await expect(page.getByRole("row").filter({ hasText: quotes[2]!.email })).toBeVisible({ timeout: 20_000 });
    for (const row of await page.getByRole("row").filter({ has: page.locator("td") }).all()) await expect(row).toContainText("Draft");

    // Sort by premium, ascending, one per page; then the next page.
    await page.goto("/admin/quotes?status=submitted&pageSize=1");
    await page.getByRole("link", { name: /Monthly premium/ }).click();
    await expect(page).toHaveURL(/sort=monthlyPremium/);
    await expect(page.getByRole("columnheader", { name: /Monthly premium/ })).toHaveAttribute("aria-sort", "descending");
    await page.getByRole("link", { name: /Monthly premium/ }).click();
    await expect(page.getByRole("columnheader", { name: /Monthly premium/ })).toHaveAttribute("aria-sort", "ascending");
    await expect(page).toHaveURL(/order=asc/);
    await expect(page.getByRole("table")).toContainText(/page 1 of \d+/);
    await page.getByRole("navigation", { name: "Pages of quotes" }).getByRole("link", { name: "Next page" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.getByRole("table")).toContainText(/page 2 of \d+/);
    await expect(page).toHaveURL(/sort=monthlyPremium/);
  });

  test("the funnel shows how many quotes reached each step and where customers dropped off", async ({ agentPage: page, request }) => {
    await submitQuoteAsCustomer(request, { submit: false });
    await page.goto("/admin/funnel");
    await expect(page.getByRole("heading", { level: 1, name: "Funnel" })).toBeVisible();
    const chart = page.getByRole("img", { name: /Quote funnel/ });
    await expect(chart).toBeVisible();
    for (const step of ["Started", "Location details", "Contact details", "Family details", "Submitted"]) await expect(chart).toContainText(step);
    const table = page.getByRole("table", { name: "The funnel as a table" });
    const started = Number(await table.getByRole("row", { name: /^Started/ }).getByRole("cell").first().textContent());
    const submitted = Number(await table.getByRole("row", { name: /^Submitted/ }).getByRole("cell").first().textContent());
    expect(started).toBeGreaterThan(0);
    expect(submitted).toBeLessThan(started); // at least the draft above dropped off
    await expect(chart).toContainText("dropped off before this step");

    // A range that ends before it starts is refused at the field.
    await page.getByLabel("From", { exact: true }).fill("2026-03-10");
    await page.getByLabel("To", { exact: true }).fill("2026-03-01");
    await page.getByRole("button", { name: "Show funnel" }).click();
    await expect(page.getByText("The end date must be on or after the start date")).toBeVisible();
    await expect(page.getByLabel("To", { exact: true })).toHaveAttribute("aria-invalid", "true");
  });
});
