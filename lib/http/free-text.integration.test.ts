// Typed text PostgreSQL cannot store (a NUL, half a surrogate pair) or no person types (control characters) is
// refused at the door, naming the field, instead of being appended and then failing the quote's projection.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { newUser, signIn } from "../auth/testing/agents";
import { capture, jsonRequest, startQuoteOverHttp, submitQuote, validDetails } from "./testing/quote-api-client";
import * as reject from "../../app/api/admin/quotes/[quoteId]/reject/route";
import * as notes from "../../app/api/admin/quotes/[quoteId]/notes/route";

after(() => prisma().$disconnect());

type Problem = { status: number; errors?: Array<{ path: string; message: string }> };
const params = (quoteId: string) => ({ params: Promise.resolve({ quoteId }) });
const eventCount = (quoteId: string) => prisma().storedEvent.count({ where: { streamId: quoteId } });
const NOT_PLAIN = ["San\u0000Jose", "San\udae2Jose", "bell\u0007"];

describe("free text that cannot be stored", () => {
  it("the customer's city and names: 400 naming the field, nothing appended, and the page saves once corrected", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    const before = await eventCount(quoteId);
    for (const bad of NOT_PLAIN) {
      const city = await capture("geographic", quoteId, { ...validDetails.geographic, city: bad }, auth);
      assert.equal(city.status, 400);
      assert.deepEqual(((await city.json()) as Problem).errors, [{ path: "city", message: "City must be plain text, without control characters" }]);
      const family = await capture("family", quoteId, { numberOfDependents: 1, spouseName: bad, childrenNames: [bad] }, auth);
      assert.equal(family.status, 400);
      assert.deepEqual(((await family.json()) as Problem).errors?.map((e) => e.path), ["spouseName", "childrenNames.0"]);
    }
    assert.equal(await eventCount(quoteId), before);
    assert.equal((await capture("geographic", quoteId, validDetails.geographic, auth)).status, 200);
  });

  it("an agent's reason and note: 400 naming the field, nothing appended", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    for (const page of ["geographic", "contact", "family"] as const) assert.equal((await capture(page, quoteId, validDetails[page], auth)).status, 200);
    assert.equal((await submitQuote(quoteId, auth)).status, 200);
    const before = await eventCount(quoteId);
    const cookie = await signIn((await newUser("agent")).email);
    for (const bad of NOT_PLAIN) {
      const decided = await reject.POST(jsonRequest(`/api/admin/quotes/${quoteId}/reject`, "POST", { reason: bad }, { cookie }), params(quoteId));
      assert.equal(decided.status, 400);
      assert.deepEqual(((await decided.json()) as Problem).errors, [{ path: "reason", message: "Reason must be plain text, without control characters" }]);
      const noted = await notes.POST(jsonRequest(`/api/admin/quotes/${quoteId}/notes`, "POST", { note: bad }, { cookie }), params(quoteId));
      assert.equal(noted.status, 400);
      assert.deepEqual(((await noted.json()) as Problem).errors, [{ path: "note", message: "Note must be plain text, without control characters" }]);
    }
    assert.equal(await eventCount(quoteId), before);
  });
});
