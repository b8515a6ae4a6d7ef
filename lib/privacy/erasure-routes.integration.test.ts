// Who may erase a quote's personal data and download it: the two erase routes and the export, in-process with real Requests.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { newUser, signIn } from "../auth/testing/agents";
import { capture, jsonRequest, startQuoteOverHttp, validDetails } from "../http/testing/quote-api-client";
import * as customerErase from "../../app/api/quotes/[quoteId]/erase/route";
import * as agentErase from "../../app/api/admin/quotes/[quoteId]/erase/route";
import * as exportRoute from "../../app/api/quotes/[quoteId]/personal-data/route";

after(() => prisma().$disconnect());

const params = (quoteId: string) => ({ params: Promise.resolve({ quoteId }) });
const erasedEvents = (quoteId: string) => prisma().storedEvent.count({ where: { streamId: quoteId, type: "PersonalDataErased" } });
const hasKey = async (quoteId: string) => (await prisma().quoteDataKey.count({ where: { quoteId } })) === 1;

async function draftWithContact() {
  const quote = await startQuoteOverHttp();
  assert.equal((await capture("contact", quote.quoteId, validDetails.contact, quote.auth)).status, 200);
  return quote;
}

describe("erasing personal data: who may", () => {
  it("a stranger (no token, or another quote's token) gets 404 and nothing is erased", async () => {
    const { quoteId } = await draftWithContact();
    const other = await startQuoteOverHttp();
    for (const headers of [{}, other.auth, { authorization: "Bearer not-a-token" }]) {
      const res = await customerErase.POST(jsonRequest(`/api/quotes/${quoteId}/erase`, "POST", undefined, headers), params(quoteId));
      assert.equal(res.status, 404);
      assert.equal(res.headers.get("content-type"), "application/problem+json");
    }
    assert.equal(await erasedEvents(quoteId), 0);
    assert.ok(await hasKey(quoteId));
  });

  it("the customer erases their own quote once; a second time is 409 PersonalDataErased; saving a page afterwards is refused", async () => {
    const { quoteId, auth } = await draftWithContact();
    const res = await customerErase.POST(jsonRequest(`/api/quotes/${quoteId}/erase`, "POST", undefined, auth), params(quoteId));
    assert.equal(res.status, 200);
    assert.equal(await erasedEvents(quoteId), 1);
    assert.equal(await hasKey(quoteId), false);
    const again = await customerErase.POST(jsonRequest(`/api/quotes/${quoteId}/erase`, "POST", undefined, auth), params(quoteId));
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as { code: string }).code, "PersonalDataErased");
    const save = await capture("contact", quoteId, validDetails.contact, auth);
    assert.equal(save.status, 409);
  });

  it("the agent route: 401 without a session (a customer's token is no agent session), 400 naming reason without one, 404 for no such quote, 200 with one", async () => {
    const { quoteId, auth } = await draftWithContact();
    const path = `/api/admin/quotes/${quoteId}/erase`;
    assert.equal((await agentErase.POST(jsonRequest(path, "POST", { reason: "asked" }, auth), params(quoteId))).status, 401);
    const agent = await newUser("agent");
    const cookie = await signIn(agent.email);
    const missing = await agentErase.POST(jsonRequest(path, "POST", {}, { cookie }), params(quoteId));
    assert.equal(missing.status, 400);
    assert.deepEqual(((await missing.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path), ["reason"]);
    const unknown = "4f7c2d8e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
    assert.equal((await agentErase.POST(jsonRequest(`/api/admin/quotes/${unknown}/erase`, "POST", { reason: "asked" }, { cookie }), params(unknown))).status, 404);
    assert.equal(await erasedEvents(quoteId), 0);
    const res = await agentErase.POST(jsonRequest(path, "POST", { reason: "Asked on the phone" }, { cookie }), params(quoteId));
    assert.equal(res.status, 200);
    const event = await prisma().storedEvent.findFirst({ where: { streamId: quoteId, type: "PersonalDataErased" } });
    assert.deepEqual(event?.data, { reason: "Asked on the phone", erasedBy: "agent", agentId: agent.id });
  });
});

describe("exporting personal data", () => {
  it("the customer downloads their quote's data as a JSON attachment; a stranger or another customer gets 404", async () => {
    const { quoteId, auth } = await draftWithContact();
    const res = await exportRoute.GET(jsonRequest(`/api/quotes/${quoteId}/personal-data`, "GET", undefined, auth), params(quoteId));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename="quote-.*-personal-data\.json"$/);
    const body = (await res.json()) as { quoteId: string; personalDataErased: boolean; events: Array<{ type: string; data: unknown }> };
    assert.equal(body.quoteId, quoteId);
    assert.equal(body.personalDataErased, false);
    assert.deepEqual(body.events.find((e) => e.type === "ContactDetailsCaptured")?.data, { details: validDetails.contact });
    const other = await startQuoteOverHttp();
    for (const headers of [{}, other.auth]) {
      assert.equal((await exportRoute.GET(jsonRequest(`/api/quotes/${quoteId}/personal-data`, "GET", undefined, headers), params(quoteId))).status, 404);
    }
  });
});
