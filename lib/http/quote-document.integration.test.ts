import assert from "node:assert/strict";
import { randomInt, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { message } from "../cqrs/message";
import { createServices } from "../services";
import { pdfText } from "../documents/testing/pdf-text";
import { drainProjector } from "../projections/testing/drain";
import { newUser, signIn } from "../auth/testing/agents";
import { accessCookieName } from "./request-metadata";
import { capture, jsonRequest, startQuoteOverHttp, submitQuote, validDetails } from "./testing/quote-api-client";
import * as customerDocument from "../../app/api/quotes/[quoteId]/document/route";
import * as agentDocument from "../../app/api/admin/quotes/[quoteId]/document/route";
import * as approveRoute from "../../app/api/admin/quotes/[quoteId]/approve/route";

after(() => prisma().$disconnect());

const params = (quoteId: string) => ({ params: Promise.resolve({ quoteId }) });
const { commandBus } = createServices(prisma());
const customerGet = (quoteId: string, headers: Record<string, string> = {}) => customerDocument.GET(jsonRequest(`/api/quotes/${quoteId}/document`, "GET", undefined, headers), params(quoteId));
const agentGet = (quoteId: string, headers: Record<string, string> = {}) => agentDocument.GET(jsonRequest(`/api/admin/quotes/${quoteId}/document`, "GET", undefined, headers), params(quoteId));
const text = async (res: Response) => (await pdfText(new Uint8Array(await res.arrayBuffer()))).replace(/\s+/g, " ");

async function submittedQuote() {
  const started = await startQuoteOverHttp();
  for (const page of ["geographic", "contact", "family"] as const) assert.equal((await capture(page, started.quoteId, validDetails[page], started.auth)).status, 200);
  const submitted = await submitQuote(started.quoteId, started.auth);
  assert.equal(submitted.status, 200);
  const { premium, validUntil } = (await submitted.json()) as { premium: { monthly: number }; validUntil: string };
  return { ...started, premium, validUntil };
}

async function assignApplicationNumber(quoteId: string): Promise<string> {
  const applicationNumber = `APP-2026-${String(randomInt(900_000, 1_000_000))}`;
  const result = await commandBus.execute(message("AssignApplicationNumber", { quoteId, applicationNumber }, { actor: { kind: "system", name: "test" } }));
  assert.ok(result.ok, JSON.stringify(result));
  return applicationNumber;
}

const day = (iso: string) => new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));

describe("the quote's PDF over HTTP", () => {
  let agentCookie = "";
  const agent = () => ({ cookie: agentCookie });
  before(async () => {
    agentCookie = await signIn((await newUser()).email);
  });

  it("the customer downloads it with the access cookie a browser sends: the application number, the premium and the validity date", async () => {
    const quote = await submittedQuote();
    const applicationNumber = await assignApplicationNumber(quote.quoteId);
    await drainProjector();

    const res = await customerGet(quote.quoteId, { cookie: `${accessCookieName(quote.quoteId)}=${quote.accessToken}` });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get("content-type"), "application/pdf");
    assert.equal(res.headers.get("content-disposition"), `attachment; filename="quote-${applicationNumber}.pdf"`);
    assert.equal(res.headers.get("cache-control"), "no-store");
    const body = await text(res);
    assert.ok(body.includes(`Application number ${applicationNumber}`), body);
    assert.ok(body.includes(`$${quote.premium.monthly.toFixed(2)} a month`), body);
    assert.ok(body.includes(`Valid until ${day(quote.validUntil)}`), body);
    assert.ok(body.includes("San Francisco") && body.includes(validDetails.contact.email) && body.includes("Alan, Barbara"), body);
  });

  it("before the number is assigned it says pending and is named after the quote id; a bearer token works too", async () => {
    const quote = await submittedQuote();
    await drainProjector();
    const res = await customerGet(quote.quoteId, quote.auth);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-disposition"), `attachment; filename="quote-${quote.quoteId}.pdf"`);
    assert.match(await text(res), /Application number pending/);
  });

  it("a stranger, another customer's token or an unknown quote get 404 and no document", async () => {
    const mine = await submittedQuote();
    const theirs = await startQuoteOverHttp();
    for (const res of [await customerGet(mine.quoteId), await customerGet(mine.quoteId, theirs.auth), await customerGet(randomUUID(), theirs.auth)]) {
      assert.equal(res.status, 404);
      assert.equal(res.headers.get("content-type"), "application/problem+json");
    }
  });

  it("an agent downloads the same document, with the decision; without a session it is 401, for a user who is no agent 403", async () => {
    const quote = await submittedQuote();
    const applicationNumber = await assignApplicationNumber(quote.quoteId);
    const approve = await approveRoute.POST(jsonRequest(`/api/admin/quotes/${quote.quoteId}/approve`, "POST", {}, { ...agent(), origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }), params(quote.quoteId));
    assert.equal(approve.status, 200, await approve.clone().text());
    await drainProjector();

    const res = await agentGet(quote.quoteId, agent());
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get("content-type"), "application/pdf");
    assert.equal(res.headers.get("content-disposition"), `attachment; filename="quote-${applicationNumber}.pdf"`);
    assert.equal(res.headers.get("cache-control"), "no-store");
    const body = await text(res);
    for (const expected of [`Application number ${applicationNumber}`, `$${quote.premium.monthly.toFixed(2)} a month`, `Valid until ${day(quote.validUntil)}`, "Decision Approved"]) assert.ok(body.includes(expected), `${expected} in: ${body}`);

    const anonymous = await agentGet(quote.quoteId);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get("content-type"), "application/problem+json");
    const customer = await agentGet(quote.quoteId, quote.auth);
    assert.equal(customer.status, 401, "a customer's token is no agent session");
    const noRole = await agentGet(quote.quoteId, { cookie: await signIn((await newUser("user")).email) });
    assert.equal(noRole.status, 403);
    assert.equal((await agentGet(randomUUID(), agent())).status, 404);
  });

  it("answers only GET: Next answers 405 with Allow to any other method", async () => {
    for (const route of [customerDocument, agentDocument]) assert.deepEqual(Object.keys(route).filter((name) => /^[A-Z]+$/.test(name)), ["GET"]);
  });
});
