// Quote starts per client address, through the real POST /api/quotes route over HTTP (scripts/next-server.ts in
// front of Next.js), the real command bus and the counters in the suite's PostgreSQL.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { parseConfig } from "../../config";
import { prisma } from "../../db/prisma";
import { compileRoute, send, startAppServer, type AppServer } from "../../../scripts/test/app-server";
import { postgresRateLimiter } from "./postgres-rate-limiter";
import { QUOTE_START_COUNTERS_TABLE, QUOTE_START_WINDOW_SECONDS, quoteStartKeyOf } from "./quote-start-throttle";

// The test stands in for a trusted proxy, so each request can say which client it is for.
const PROXY = "127.0.0.2";
const randomAddress = () => `10.${[...randomBytes(3)].join(".")}`;
const DEFAULT_LIMIT = parseConfig({}).QUOTE_START_RATE_LIMIT;
const ATTEMPTS = 150;
const CONCURRENCY = 10;

let app: AppServer;

before(async () => {
  // The suite raises the limit for its other tests; this server has the default.
  app = await startAppServer({ TRUSTED_PROXIES: PROXY, AUTH_TRUSTED_PROXIES: undefined, QUOTE_START_RATE_LIMIT: undefined });
  await compileRoute(app.baseUrl, "/api/quotes");
});
after(async () => {
  await app?.stop();
  await prisma().$disconnect();
});

const startQuote = (client: string, correlationId: string) =>
  send(`${app.baseUrl}/api/quotes`, { method: "POST", from: PROXY, headers: { "x-forwarded-for": client, "x-correlation-id": correlationId } });

const quotesStartedUnder = (correlationPrefix: string) => prisma().storedEvent.count({ where: { type: "QuoteStarted", correlationId: { startsWith: correlationPrefix } } });

describe("quote start throttle", () => {
  it(`${ATTEMPTS} quick starts from one address: ${DEFAULT_LIMIT} quotes, then 429 problem+json with Retry-After; another address is unaffected`, async () => {
    const run = randomUUID();
    const client = randomAddress();
    const answers: Array<Awaited<ReturnType<typeof startQuote>>> = [];
    for (let sent = 0; sent < ATTEMPTS; sent += CONCURRENCY) {
      answers.push(...(await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => startQuote(client, `${run}:a:${sent + i}`)))));
    }

    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 429);
    assert.equal(created.length, DEFAULT_LIMIT, `statuses: ${[...new Set(answers.map((a) => a.status))].join(",")}`);
    assert.equal(refused.length, ATTEMPTS - DEFAULT_LIMIT);
    for (const answer of refused) {
      assert.equal(answer.headers["content-type"], "application/problem+json");
      const retryAfter = Number(answer.headers["retry-after"]);
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${answer.headers["retry-after"]}`);
      const problem = JSON.parse(answer.body) as { status: number; title: string; detail: string; retryAfterSeconds: number };
      assert.equal(problem.status, 429);
      assert.equal(problem.retryAfterSeconds, retryAfter);
      assert.match(problem.detail, /Too many quotes have been started from your network/);
    }
    assert.equal(await quotesStartedUnder(`${run}:a:`), DEFAULT_LIMIT, "a refused start creates no quote");

    const elsewhere = await startQuote(randomAddress(), `${run}:b`);
    assert.equal(elsewhere.status, 201, elsewhere.body);
    assert.equal(await quotesStartedUnder(`${run}:b`), 1);
  });

  it("the count is shared through PostgreSQL: another process with the same limit sees the address as spent", async () => {
    const client = randomAddress();
    for (let i = 0; i < DEFAULT_LIMIT; i++) assert.equal((await startQuote(client, `shared:${randomUUID()}`)).status, 201);
    const otherProcess = postgresRateLimiter({ databaseUrl: parseConfig(process.env).DATABASE_URL, tableName: QUOTE_START_COUNTERS_TABLE, points: DEFAULT_LIMIT, windowSeconds: QUOTE_START_WINDOW_SECONDS });
    const verdict = await otherProcess.hit(quoteStartKeyOf(client));
    assert.equal(verdict.allowed, false);
  });
});
