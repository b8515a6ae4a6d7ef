import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/agent";
import { submitQuoteAsCustomer, waitForAgentView } from "./fixtures/agent-quotes";
import { expectAccessible } from "./fixtures/customer";

const CHARTS = ["relay-backlog", "projection-lag", "projection-lag-seconds", "command-latency", "command-errors"];

/** How many points a chart drew (the figure's data-points), 0 when it has none. */
const pointsOf = async (page: Page, id: string) => Number((await page.locator(`figure:has(#${id}-caption)`).getAttribute("data-points")) ?? "0");

test("after a customer's journey, the system page charts the last hour with data, shows the live worker roles and passes axe", async ({ agentPage: page }) => {
  const quote = await submitQuoteAsCustomer(page.context().request);
  await waitForAgentView(page.context().request, quote);

  await page.goto("/admin/quotes");
  await page.getByRole("navigation", { name: "Agent admin" }).getByRole("link", { name: "System" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "System" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Agent admin" }).getByRole("link", { name: "System" })).toHaveAttribute("aria-current", "page");

  // The web process writes its commands per minute every 10 s, the worker samples every 10 s: reload until both show.
  await expect
    .poll(
      async () => {
        await page.reload();
        const points = await Promise.all(CHARTS.map((id) => pointsOf(page, id)));
        return points.every((n) => n > 0);
      },
      { timeout: 45_000, intervals: [2_000] },
    )
    .toBe(true);

  for (const id of CHARTS) {
    const chart = page.locator(`figure:has(#${id}-caption)`);
    await expect(chart.getByRole("img")).toBeVisible();
    await expect(chart.locator("svg[role=img] polyline, svg[role=img] circle").first()).toBeAttached();
  }
  await expect(page.getByRole("img", { name: /Command latency, last hour/ })).toBeVisible();

  const roles = page.getByRole("table", { name: "Worker roles alive now" });
  for (const role of ["relay", "projector", "scheduled"]) {
    await expect(roles.getByRole("row", { name: new RegExp(`^${role}\\b`) })).toContainText("Alive");
  }

  // A chart's numbers as a table, for those who do not read the image.
  await page.getByText("Command latency as a table").click();
  await expect(page.locator("figure:has(#command-latency-caption) table tbody tr").first()).toBeVisible();

  await expectAccessible(page, "the system page");
});
