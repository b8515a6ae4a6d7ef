// The underwriting rules at submission: a quote from a region on the referral list (US-AK in the e2e stack, see
// scripts/test/run-all.ts) with more than 6 dependents is referred automatically; the agent sees both reasons and
// overrides the referral, with a reason.
import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures/agent";
import { waitForAgentView, waitForCustomerStatus } from "./fixtures/agent-quotes";

async function submitFromAlaskaWithSevenDependents(request: APIRequestContext) {
  const email = `underwriting-${randomUUID().slice(0, 8)}@example.com`;
  const started = await request.post("/api/quotes");
  expect(started.status()).toBe(201);
  const { quoteId, accessToken } = (await started.json()) as { quoteId: string; accessToken: string };
  const headers = { authorization: `Bearer ${accessToken}` };
  const pages: Array<[string, unknown]> = [
    ["geographic-details", { country: "US", state: "AK", city: "Juneau", zipCode: "99801" }],
    ["contact-details", { email, phoneNumber: "+1 907 555 0100" }],
    ["family-details", { numberOfDependents: 7, spouseName: "Grace", childrenNames: ["A", "B", "C", "D", "E", "F"] }],
  ];
  for (const [page, data] of pages) {
    // The worker's application number can land between two saves: a VersionConflict is sent again.
    await expect(async () => expect((await request.put(`/api/quotes/${quoteId}/${page}`, { data, headers })).status()).toBe(200)).toPass({ timeout: 10_000 });
  }
  let submitted = await request.post(`/api/quotes/${quoteId}/submit`, { headers });
  if (submitted.status() === 409) submitted = await request.post(`/api/quotes/${quoteId}/submit`, { headers });
  expect(submitted.status(), await submitted.text()).toBe(200);
  expect(await submitted.json()).toMatchObject({ status: "referred" });
  return { quoteId, accessToken, email };
}

test.describe("underwriting rules", () => {
  test("a quote the rules refer shows the agent why; the agent overrides it with a reason and the customer sees it approved", async ({ agentPage: page, request }) => {
    const quote = await submitFromAlaskaWithSevenDependents(request);
    await waitForAgentView(page.context().request, quote, "referred");

    await page.goto(`/admin/quotes?status=referred&search=${encodeURIComponent(quote.email)}`);
    await expect(page.getByRole("row").filter({ hasText: quote.email })).toContainText("Referred");

    await page.goto(`/admin/quotes/${quote.quoteId}`);
    const reasons = page.getByTestId("underwriting-reasons");
    await expect(reasons).toContainText("Referred automatically by the underwriting rules");
    await expect(reasons.locator('[data-rule="many-dependents"]')).toHaveText("7 dependents: more than 6 need an underwriter's review");
    await expect(reasons.locator('[data-rule="referral-region"]')).toHaveText("Region US-AK is on the referral list");
    await expect(page.getByRole("list", { name: "Events, oldest first" })).toContainText("Referred automatically by the underwriting rules");
    await expect(page.getByRole("button", { name: "Refer" })).toHaveCount(0);

    // Overriding the rules needs a reason.
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByTestId("decision-problem")).toContainText("The underwriting rules referred this quote: enter a reason for approving it anyway.");
    await page.getByLabel("Reason").fill("Spoke to the family: a standard risk");
    await page.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByTestId("decision-outcome")).toContainText("Approved");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Approved");

    const view = await waitForCustomerStatus(request, quote, "approved");
    expect(view.decision).toEqual({ outcome: "approved", reason: "Spoke to the family: a standard risk" });
  });
});
