import { expect, test } from "./fixtures/agent";

test("agents reach the projector's parked messages from the admin navigation", async ({ agentPage: page }) => {
  await page.goto("/admin/quotes");
  await page.getByRole("navigation", { name: "Agent admin" }).getByRole("link", { name: "Parked messages" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Parked messages" })).toBeVisible();
  // Whether anything is parked depends on what ran before on this database: either way the page says which.
  await expect(page.getByRole("table").or(page.getByText("No message is parked"))).toBeVisible();
});
