// The agents' work queue: notes on a quote's timeline, "Assign to me" and the "Assigned to me" filter, the referred
// queue (longest waiting first) and the CSV export of the filtered list; with JavaScript and without.
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import type { APIRequestContext, Page } from "@playwright/test";
import { createUser, expect, signedInContext, test } from "./fixtures/agent";
import { submitQuoteAsCustomer, waitForAgentView, type CustomerQuote } from "./fixtures/agent-quotes";
import { expectFieldError } from "./fixtures/customer";

// Each test submits several quotes and waits for the projection between steps: slow on a busy machine.
test.describe.configure({ timeout: 120_000 });

const CSV_HEADER = ["Quote id", "Application number", "Status", "Email", "Names", "City", "Region", "Country", "Monthly premium", "Currency", "Assigned to", "Started", "Last change", "Submitted", "Referred"];

/** RFC 4180, as the export writes it: CRLF line ends, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      row.push(field);
      field = "";
    } else if (!quoted && c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else {
      field += c;
    }
  }
  expect(row.length === 0 && field === "", "the file ends with a line break").toBe(true);
  return rows;
}

/** Clicks "Export CSV" and reads the file the browser saved. */
async function exportCsv(page: Page) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^quotes-\d{4}-\d{2}-\d{2}\.csv$/);
  return parseCsv(await fs.readFile((await download.path())!, "utf8"));
}

const timelineOf = (page: Page) => page.getByRole("list", { name: "Events, oldest first" });
const dataRows = (page: Page) => page.getByRole("row").filter({ has: page.locator("td") });

async function refer(agentApi: APIRequestContext, quote: CustomerQuote, reason: string) {
  const res = await agentApi.post(`/api/admin/quotes/${quote.quoteId}/refer`, { data: { reason } });
  expect(res.status(), await res.text()).toBe(200);
  await waitForAgentView(agentApi, quote, "referred");
}

/** Three referred quotes of their own (searchable by `prefix`), referred in another order than they were started, and one submitted only. */
async function referredAtDifferentTimes(request: APIRequestContext, agentApi: APIRequestContext) {
  const prefix = `queue-${randomUUID().slice(0, 8)}`;
  const started = [];
  for (let i = 0; i < 4; i++) started.push(await submitQuoteAsCustomer(request, { emailPrefix: prefix }));
  const [first, second, third, notReferred] = started as [CustomerQuote, CustomerQuote, CustomerQuote, CustomerQuote];
  for (const quote of started) await waitForAgentView(agentApi, quote);
  for (const quote of [second, first, third]) await refer(agentApi, quote, "Needs an underwriter");
  // A note makes `second` the latest change: the queue's order is the referral's, not the last change's.
  const noted = await agentApi.post(`/api/admin/quotes/${second.quoteId}/notes`, { data: { note: "Still waiting for the medical form" } });
  expect(noted.status(), await noted.text()).toBe(201);
  return { prefix, oldestReferralFirst: [second, first, third] as [CustomerQuote, CustomerQuote, CustomerQuote], notReferred };
}

test.describe("agents' work queue", () => {
  test("a note shows on the timeline with its author as soon as it is posted", async ({ agentPage: page, agent, request }) => {
    const quote = await submitQuoteAsCustomer(request);
    await waitForAgentView(page.context().request, quote);
    await page.goto(`/admin/quotes/${quote.quoteId}`);
    const timeline = timelineOf(page);
    await expect(timeline).toContainText("Submitted");

    // The page's background refresh is held back, so only the post's own answer can show the note.
    const held: Array<() => Promise<void>> = [];
    await page.route(`**/api/admin/quotes/${quote.quoteId}*`, (route) => void held.push(() => route.continue()));

    const note = page.getByLabel("Add a note");
    await note.fill("Customer will call back on Monday");
    await page.getByRole("button", { name: "Add note" }).click();
    const newest = timeline.getByRole("listitem").last();
    // The post waits (briefly) for the read side to have the note before its page comes back.
    await expect(newest).toContainText("Note: Customer will call back on Monday", { timeout: 20_000 });
    await expect(newest).toContainText(`${agent.name} (${agent.email})`);
    await expect(note).toHaveValue("");
    await expect(timeline.getByRole("listitem").filter({ hasText: "Note:" })).toHaveCount(1);

    for (const release of held) await release();
    await page.unrouteAll();
  });

  test("a blank or too long note is refused at its field, the text kept, nothing added to the timeline", async ({ agentPage: page, request }) => {
    // The application number first: its event, arriving while the test runs, would add a timeline entry of its own.
    const quote = await submitQuoteAsCustomer(request, { applicationNumberFirst: true });
    await waitForAgentView(page.context().request, quote);
    await page.goto(`/admin/quotes/${quote.quoteId}`);
    const timeline = timelineOf(page);
    const entries = await timeline.getByRole("listitem").count();
    const note = page.getByLabel("Add a note");

    await note.fill("   ");
    await page.getByRole("button", { name: "Add note" }).click();
    await expectFieldError(note, "Enter the note's text");

    const tooLong = "x".repeat(2001);
    await note.fill(tooLong);
    await page.getByRole("button", { name: "Add note" }).click();
    await expectFieldError(page.getByLabel("Add a note"), "Note must be 2000 characters or fewer");
    await expect(page.getByLabel("Add a note")).toHaveValue(tooLong);

    await expect(timeline.getByRole("listitem")).toHaveCount(entries);
    await expect(timeline).not.toContainText("Note:");
  });

  test("Assign to me puts the quote in the agent's Assigned to me list, without the quotes of others", async ({ agentPage: page, agent, request, browser, baseURL }) => {
    const prefix = `assign-${randomUUID().slice(0, 8)}`;
    const submit = () => submitQuoteAsCustomer(request, { emailPrefix: prefix });
    const [otherAgent, mine, someoneElses, nobodys] = await Promise.all([createUser("agent"), submit(), submit(), submit()]);
    await Promise.all([mine, someoneElses, nobodys].map((quote) => waitForAgentView(page.context().request, quote)));
    const other = await signedInContext(() => browser.newContext({ baseURL }), otherAgent, baseURL!);
    const taken = await other.context.request.post(`/api/admin/quotes/${someoneElses.quoteId}/assign`, { data: {} });
    expect(taken.status(), await taken.text()).toBe(200);
    await other.context.close();

    await page.goto(`/admin/quotes/${mine.quoteId}`);
    await expect(page.getByTestId("assigned-to")).toHaveText("nobody yet");
    await page.getByRole("button", { name: "Assign to me" }).click();
    await expect(page.getByTestId("assigned-to")).toHaveText(`you (${agent.name} (${agent.email}))`);
    await expect(page.getByRole("button", { name: "Assign to me" })).toHaveCount(0);
    await expect(timelineOf(page).getByRole("listitem").last()).toContainText("Assigned to themselves");

    await page.goto(`/admin/quotes?search=${prefix}`);
    await expect(dataRows(page)).toHaveCount(3);
    await page.getByLabel("Assigned to me").check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/assigned=me/);
    await expect(dataRows(page)).toHaveCount(1);
    await expect(dataRows(page)).toContainText(mine.email);
    // Only this agent's quotes, whatever the search: the quote is the only one they took.
    await page.getByRole("searchbox", { name: "Search" }).fill("");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).not.toHaveURL(new RegExp(prefix));
    await expect(dataRows(page)).toHaveCount(1);
    await expect(dataRows(page)).toContainText(mine.email);
    await expect(page.getByLabel("Assigned to me")).toBeChecked();
  });

  test("the Referred queue lists referred quotes longest waiting first, and Export CSV downloads those rows", async ({ agentPage: page, request }) => {
    const { prefix, oldestReferralFirst, notReferred } = await referredAtDifferentTimes(request, page.context().request);

    await page.goto(`/admin/quotes?search=${prefix}`);
    await expect(dataRows(page)).toHaveCount(4);
    await page.getByRole("link", { name: "Referred queue" }).click();
    await expect(page.getByText("Referred queue: the longest waiting first")).toBeVisible();
    await expect(page.getByLabel("Status")).toHaveValue("referred");
    await expect(page.getByRole("columnheader", { name: /Referred/ })).toHaveAttribute("aria-sort", "ascending");
    // Narrowed to this test's quotes: the queue keeps its order while searching.
    await page.getByRole("searchbox", { name: "Search" }).fill(prefix);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/search=queue-/);
    await expect(page.getByText("Referred queue: the longest waiting first")).toBeVisible();
    await expect(dataRows(page)).toHaveCount(3);
    for (const [index, quote] of oldestReferralFirst.entries()) await expect(dataRows(page).nth(index)).toContainText(quote.email);
    await expect(page.getByRole("table")).not.toContainText(notReferred.email);

    const [header, ...rows] = await exportCsv(page);
    expect(header).toEqual(CSV_HEADER);
    expect(rows.map((row) => [row[0], row[2], row[3]])).toEqual(oldestReferralFirst.map((quote) => [quote.quoteId, "referred", quote.email]));
    for (const row of rows) expect(row[14]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(rows.map((row) => row[14])).toEqual(rows.map((row) => row[14]).sort());
  });
});

test.describe("agents' work queue without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("notes, Assign to me, the Assigned to me filter, the Referred queue and Export CSV all work as plain forms and links", async ({ agentPage: page, agent, request }) => {
    const { prefix, oldestReferralFirst } = await referredAtDifferentTimes(request, page.context().request);
    const [quote] = oldestReferralFirst;
    await page.goto(`/admin/quotes/${quote.quoteId}`);

    const note = page.getByLabel("Add a note");
    await page.getByRole("button", { name: "Add note" }).click();
    await expectFieldError(page.getByLabel("Add a note"), "Enter the note's text");
    await note.fill("Called the customer, no answer");
    await page.getByRole("button", { name: "Add note" }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/quotes/${quote.quoteId}$`));
    const newest = timelineOf(page).getByRole("listitem").last();
    await expect(newest).toContainText("Note: Called the customer, no answer");
    await expect(newest).toContainText(`${agent.name} (${agent.email})`);

    await page.getByRole("button", { name: "Assign to me" }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/quotes/${quote.quoteId}$`));
    await expect(page.getByTestId("assigned-to")).toHaveText(`you (${agent.name} (${agent.email}))`);

    await page.goto("/admin/quotes");
    await page.getByLabel("Assigned to me").check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/assigned=me/);
    await expect(dataRows(page)).toHaveCount(1);
    await expect(dataRows(page)).toContainText(quote.email);

    await page.goto(`/admin/quotes?search=${prefix}`);
    await page.getByRole("link", { name: "Referred queue" }).click();
    await expect(page.getByText("Referred queue: the longest waiting first")).toBeVisible();
    await page.getByRole("searchbox", { name: "Search" }).fill(prefix);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(dataRows(page)).toHaveCount(3);
    for (const [index, referred] of oldestReferralFirst.entries()) await expect(dataRows(page).nth(index)).toContainText(referred.email);

    const [header, ...rows] = await exportCsv(page);
    expect(header).toEqual(CSV_HEADER);
    expect(rows.map((row) => row[0])).toEqual(oldestReferralFirst.map((referred) => referred.quoteId));
    expect(rows[0]![10]).toBe(`${agent.name} (${agent.email})`);
  });
});
