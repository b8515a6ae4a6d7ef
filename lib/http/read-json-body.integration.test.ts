// A huge chunked body (no Content-Length) against the real route handlers: refused with 413 after reading only a
// little past the limit, so the server's memory does not grow with what the sender keeps sending.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { newUser, signIn } from "../auth/testing/agents";
import { MAX_BODY_BYTES } from "./read-json-body";
import { capture, PAGES, startQuoteOverHttp, submitQuote, validDetails } from "./testing/quote-api-client";
import * as approve from "../../app/api/admin/quotes/[quoteId]/approve/route";

after(() => prisma().$disconnect());

const TWO_HUNDRED_MB = 200 * 1024 * 1024;
const CHUNK_BYTES = 1024;
/** The reader may ask for a chunk or two ahead of what it has looked at; anything near the 200 MB is the bug. */
const PULL_ALLOWANCE = MAX_BODY_BYTES + 4 * CHUNK_BYTES;

/** A body of `totalBytes` made on demand, chunk by chunk, counting what the server pulled from it. */
function lazyJsonBody(totalBytes: number) {
  const opening = new TextEncoder().encode('{"email":"ada@example.com","padding":"');
  const filler = new Uint8Array(CHUNK_BYTES).fill("x".charCodeAt(0));
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= totalBytes) return controller.close();
      const chunk = pulled === 0 ? opening : filler.subarray(0, Math.min(CHUNK_BYTES, totalBytes - pulled));
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

function streamedRequest(path: string, method: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  // duplex "half" is what fetch requires for a streamed request body; the DOM typings do not list it yet.
  const init = { method, body, duplex: "half", headers: { "content-type": "application/json", ...headers } } as RequestInit;
  return new Request(`http://127.0.0.1:3000${path}`, init);
}

const params = (quoteId: string) => ({ params: Promise.resolve({ quoteId }) });
const eventCount = (quoteId: string) => prisma().storedEvent.count({ where: { streamId: quoteId } });

async function assertRefusedEarly(send: () => Promise<Response>, body: ReturnType<typeof lazyJsonBody>) {
  const started = performance.now();
  const res = await send();
  const elapsedMs = performance.now() - started;
  assert.equal(res.status, 413);
  assert.equal(res.headers.get("content-type"), "application/problem+json");
  const problem = (await res.json()) as { status: number; title: string; detail: string; limitBytes: number };
  assert.equal(problem.status, 413);
  assert.equal(problem.limitBytes, MAX_BODY_BYTES);
  assert.ok(problem.title && problem.detail);
  assert.ok(body.pulled() <= PULL_ALLOWANCE, `pulled ${body.pulled()} bytes of a ${TWO_HUNDRED_MB}-byte body (limit ${MAX_BODY_BYTES})`);
  assert.ok(body.cancelled(), "the rest of the body is cancelled, not drained");
  assert.ok(elapsedMs < 1_000, `answered in ${Math.round(elapsedMs)} ms`);
}

describe("request body limit: a 200 MB chunked body", () => {
  it("without a valid token, to a capture route: 413 problem+json after reading only a little past the limit", async () => {
    const quoteId = randomUUID();
    const body = lazyJsonBody(TWO_HUNDRED_MB);
    await assertRefusedEarly(() => PAGES.contact.PUT(streamedRequest(`/api/quotes/${quoteId}/contact-details`, "PUT", body.stream), params(quoteId)), body);
  });

  it("with the quote's valid token: the same 413, and nothing is appended", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    const body = lazyJsonBody(TWO_HUNDRED_MB);
    await assertRefusedEarly(() => PAGES.contact.PUT(streamedRequest(`/api/quotes/${quoteId}/contact-details`, "PUT", body.stream, auth), params(quoteId)), body);
    assert.equal(await eventCount(quoteId), 1, "only the QuoteStarted event");
  });

  it("to start a quote: 413, and no quote is started", async () => {
    const before = await prisma().storedEvent.count({ where: { type: "QuoteStarted" } });
    const body = lazyJsonBody(TWO_HUNDRED_MB);
    const { POST } = await import("../../app/api/quotes/route");
    await assertRefusedEarly(() => POST(streamedRequest("/api/quotes", "POST", body.stream, { "transfer-encoding": "chunked" })), body);
    assert.equal(await prisma().storedEvent.count({ where: { type: "QuoteStarted" } }), before);
  });

  it("from a signed-in agent, to a decision route: 413, and the quote is not decided", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    for (const page of ["geographic", "contact", "family"] as const) assert.equal((await capture(page, quoteId, validDetails[page], auth)).status, 200);
    assert.equal((await submitQuote(quoteId, auth)).status, 200);
    const cookie = await signIn((await newUser()).email);
    const body = lazyJsonBody(TWO_HUNDRED_MB);
    await assertRefusedEarly(() => approve.POST(streamedRequest(`/api/admin/quotes/${quoteId}/approve`, "POST", body.stream, { cookie }), params(quoteId)), body);
    assert.equal(await eventCount(quoteId), 5, "started, three pages, submitted: no decision");
  });

  it("a chunked body within the limit is read whole and accepted", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    const bytes = new TextEncoder().encode(JSON.stringify(validDetails.contact));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.byteLength; at += 7) controller.enqueue(bytes.subarray(at, at + 7));
        controller.close();
      },
    });
    const res = await PAGES.contact.PUT(streamedRequest(`/api/quotes/${quoteId}/contact-details`, "PUT", stream, auth), params(quoteId));
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(await eventCount(quoteId), 2);
  });
});
