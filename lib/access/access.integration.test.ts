import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { message } from "../cqrs/message";
import { prisma } from "../db/prisma";
import { capture, getQuote, startQuoteOverHttp, validDetails } from "../http/testing/quote-api-client";
import { services } from "../services";
import { hashAccessToken } from "./quote-access";
import * as legacyResumeRoute from "../../app/(customer)/quote/[quoteId]/resume/route";
import type { ResumeLinkResponse, ResumeQuoteResponse } from "./access-commands";

after(() => prisma().$disconnect());

const asCustomer = (accessToken?: string) => ({ actor: { kind: "customer" as const }, accessToken });
const run = <T>(type: string, payload: Record<string, unknown>, accessToken?: string) => services().commandBus.execute<T>(message(type, payload, asCustomer(accessToken)));

describe("resume links and device access", () => {
  it("a resume code opens nothing by itself; exchanged, it gives this device a token of its own", async () => {
    const { quoteId, accessToken } = await startQuoteOverHttp();
    const link = await run<ResumeLinkResponse>("CreateResumeLink", { quoteId }, accessToken);
    assert.ok(link.ok);
    const code = link.value.resumeCode;
    assert.equal((await getQuote(quoteId, { authorization: `Bearer ${code}` })).status, 404, "a resume code is not an access token");

    const resumed = await run<ResumeQuoteResponse>("ResumeQuote", { quoteId, resumeCode: code });
    assert.ok(resumed.ok);
    assert.notEqual(resumed.value.accessToken, accessToken);
    assert.equal((await capture("contact", quoteId, validDetails.contact, { authorization: `Bearer ${resumed.value.accessToken}` })).status, 200);
  });

  it("a wrong or malformed code is refused, naming the problem", async () => {
    const { quoteId } = await startQuoteOverHttp();
    const wrong = await run("ResumeQuote", { quoteId, resumeCode: "A".repeat(43) });
    assert.ok(!wrong.ok && wrong.error.kind === "not_found");
    const malformed = await run("ResumeQuote", { quoteId, resumeCode: "short" });
    assert.ok(!malformed.ok && malformed.error.kind === "validation" && malformed.error.errors.some((e) => e.path === "resumeCode"));
  });

  it("turning links off revokes every resume code and every other device, and keeps this one", async () => {
    const { quoteId, accessToken } = await startQuoteOverHttp();
    const link = await run<ResumeLinkResponse>("CreateResumeLink", { quoteId }, accessToken);
    assert.ok(link.ok);
    const other = await run<ResumeQuoteResponse>("ResumeQuote", { quoteId, resumeCode: link.value.resumeCode });
    assert.ok(other.ok);

    const revoked = await run<{ revoked: number }>("RevokeOtherAccess", { quoteId }, accessToken);
    assert.ok(revoked.ok);
    assert.equal(revoked.value.revoked, 2);
    assert.equal((await capture("contact", quoteId, validDetails.contact, { authorization: `Bearer ${other.value.accessToken}` })).status, 404);
    const again = await run("ResumeQuote", { quoteId, resumeCode: link.value.resumeCode });
    assert.ok(!again.ok && again.error.kind === "not_found");
    assert.equal((await capture("contact", quoteId, validDetails.contact, { authorization: `Bearer ${accessToken}` })).status, 200);
  });

  it("a token unused for the idle period opens nothing", async () => {
    const { quoteId, accessToken, auth } = await startQuoteOverHttp();
    const idleDays = services().access.idleDays;
    await prisma().quoteAccessToken.update({ where: { tokenHash: hashAccessToken(accessToken) }, data: { lastUsedAt: new Date(Date.now() - (idleDays + 1) * 86_400_000) } });
    assert.equal((await capture("contact", quoteId, validDetails.contact, auth)).status, 404);
  });

  it("a use refreshes the idle clock, at most once an hour", async () => {
    const { quoteId, accessToken, auth } = await startQuoteOverHttp();
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await prisma().quoteAccessToken.update({ where: { tokenHash: hashAccessToken(accessToken) }, data: { lastUsedAt: twoHoursAgo } });
    assert.equal((await capture("contact", quoteId, validDetails.contact, auth)).status, 200);
    const row = await prisma().quoteAccessToken.findUniqueOrThrow({ where: { tokenHash: hashAccessToken(accessToken) } });
    assert.ok(row.lastUsedAt > twoHoursAgo);
  });

  it("an old-style resume link (token in the query) sets no cookie and drops the token", async () => {
    const { quoteId, accessToken } = await startQuoteOverHttp();
    const res = await legacyResumeRoute.GET(new Request(`http://127.0.0.1:3000/quote/${quoteId}/resume?token=${accessToken}`) as never, { params: Promise.resolve({ quoteId }) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("set-cookie"), null);
    assert.equal(res.headers.get("location"), `/resume/${quoteId}`);
  });
});
