import { type Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { answerEverything, continueButton, expectStep, fillGeographic, heading, SPRINGFIELD, startQuote } from "./fixtures/customer";

/** The page copies the code from the link into its field once it runs; the customer confirms after that. */
async function confirmResume(page: Page) {
  await expect(page.getByLabel("Resume code")).not.toHaveValue("");
  await page.getByRole("button", { name: "Continue my quote" }).click();
}

async function makeResumeLink(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Make a resume link" }).click();
  return page.getByLabel("Your resume link").inputValue();
}

test("a resume link opens the quote in another browser only after the customer confirms, on the first unanswered page", async ({ page, browser, browserErrors }) => {
  browserErrors.expect(/geographic: Failed to load resource: .* 404/); // the other browser, before the link, is shut out
  const quoteId = await startQuote(page);
  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).click();
  await expectStep(page, "contact", "Contact details");
  const resumeLink = await makeResumeLink(page);
  expect(resumeLink).toMatch(new RegExp(`/resume/${quoteId}#[A-Za-z0-9_-]{43}$`));

  const other = await browser.newContext();
  try {
    const elsewhere = await other.newPage();
    // Without the link, this browser cannot see the quote.
    await elsewhere.goto(`/quote/${quoteId}/geographic`);
    await expect(heading(elsewhere, "We couldn't find this quote")).toBeVisible();

    const opened = await elsewhere.goto(resumeLink);
    expect(opened?.headers()["set-cookie"], "opening the link changes nothing").toBeUndefined();
    expect((await other.cookies()).filter((c) => c.name.startsWith("quote_access_")), "no access cookie before the customer confirms").toEqual([]);
    await expect(heading(elsewhere, "Continue your quote")).toBeVisible();
    await expect(elsewhere).not.toHaveURL(/#/); // the code leaves the address bar
    await confirmResume(elsewhere);

    await expectStep(elsewhere, "contact", "Contact details");
    await elsewhere.getByRole("navigation", { name: "Quote progress" }).getByRole("link", { name: /Where you live/ }).click();
    await expectStep(elsewhere, "geographic", "Where you live");
    await expect(elsewhere.getByLabel("City")).toHaveValue("Springfield");
    await expect(elsewhere.getByLabel("ZIP code")).toHaveValue("62701");
  } finally {
    await other.close();
  }
});

test("turning resume links off shuts out the link and the other devices, and keeps this browser in", async ({ page, browser, browserErrors }) => {
  browserErrors.expect(/geographic: Failed to load resource: .* 404/); // the other device, once shut out
  const quoteId = await startQuote(page);
  const resumeLink = await makeResumeLink(page);
  const other = await browser.newContext();
  try {
    const elsewhere = await other.newPage();
    await elsewhere.goto(resumeLink);
    await confirmResume(elsewhere);
    await expectStep(elsewhere, "geographic", "Where you live");

    await page.getByRole("button", { name: "Turn off my resume links and other devices" }).click();
    await expect(page.getByRole("status").filter({ hasText: "only this browser can open your quote" })).toBeVisible();

    await elsewhere.goto(`/quote/${quoteId}/geographic`);
    await expect(heading(elsewhere, "We couldn't find this quote")).toBeVisible();
    const third = await other.newPage();
    await third.goto(resumeLink);
    await confirmResume(third);
    await expect(third.getByRole("alert").filter({ hasText: "That resume link didn't work" })).toBeVisible();

    await page.reload();
    await expectStep(page, "geographic", "Where you live");
  } finally {
    await other.close();
  }
});

test("coming back in the same browser lands on the first unanswered page", async ({ page, context }) => {
  await startQuote(page);
  await fillGeographic(page, SPRINGFIELD);
  await continueButton(page).click();
  await expectStep(page, "contact", "Contact details");
  await page.close();

  const later = await context.newPage();
  await later.goto("/");
  await later.getByRole("link", { name: "Continue your quote" }).click();
  await expectStep(later, "contact", "Contact details");
  await later.getByRole("navigation", { name: "Quote progress" }).getByRole("link", { name: /Where you live/ }).click();
  await expectStep(later, "geographic", "Where you live");
  await expect(later.getByLabel("City")).toHaveValue("Springfield");
});

test("a resume link with a wrong code says so, and sets no cookie", async ({ page, browser }) => {
  const quoteId = await startQuote(page);
  const other = await browser.newContext();
  try {
    const elsewhere = await other.newPage();
    await elsewhere.goto(`/resume/${quoteId}#${"A".repeat(43)}`);
    await confirmResume(elsewhere);
    await expect(elsewhere.getByRole("alert").filter({ hasText: "That resume link didn't work" })).toBeVisible();
    expect((await other.cookies()).filter((c) => c.name.startsWith("quote_access_"))).toEqual([]);
  } finally {
    await other.close();
  }
});

test("no page's HTML or React payload carries the access token", async ({ page }) => {
  const bodies: Array<{ url: string; body: string }> = [];
  page.on("response", async (response) => {
    const type = response.headers()["content-type"] ?? "";
    if (/text\/(html|x-component|plain)|application\/json/.test(type)) bodies.push({ url: response.url(), body: await response.text().catch(() => "") });
  });
  const quoteId = await answerEverything(page);
  const token = (await page.context().cookies()).find((c) => c.name === `quote_access_${quoteId}`)?.value;
  expect(token, "the access cookie is set").toBeTruthy();
  for (const step of ["geographic", "contact", "family", "review"]) {
    await page.goto(`/quote/${quoteId}/${step}`);
    // The React payload of a client-side navigation, too.
    await page.evaluate(async (url) => (await fetch(url, { headers: { RSC: "1" } })).text(), `/quote/${quoteId}/${step}`);
  }
  await makeResumeLink(page);
  expect(bodies.length).toBeGreaterThan(8);
  for (const { url, body } of bodies) expect(body.includes(token!), `${url} carries the token`).toBe(false);
});
