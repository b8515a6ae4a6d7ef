import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { getAuth, SIGN_IN_RATE_LIMIT } from "./auth";
import { newUser, signInRequest, TEST_PASSWORD } from "./testing/agents";

after(() => prisma().$disconnect());

describe("sign-in rate limit", () => {
  it(`allows ${SIGN_IN_RATE_LIMIT.max} attempts per address per ${SIGN_IN_RATE_LIMIT.window} s, then answers 429 even to the right password`, async () => {
    const agent = await newUser();
    // In-process, so the test sets the header scripts/next-server.ts would have decided.
    const attacker = { "x-client-address": "203.0.113.77" };
    for (let attempt = 1; attempt <= SIGN_IN_RATE_LIMIT.max; attempt++) {
      const res = await getAuth().handler(signInRequest(agent.email, `wrong password ${attempt}`, attacker));
      assert.equal(res.status, 401, `attempt ${attempt}`);
    }
    const blocked = await getAuth().handler(signInRequest(agent.email, TEST_PASSWORD, attacker));
    assert.equal(blocked.status, 429);
    const retryAfter = Number(blocked.headers.get("x-retry-after"));
    assert.ok(retryAfter > 0 && retryAfter <= SIGN_IN_RATE_LIMIT.window, `X-Retry-After ${retryAfter}`);

    // The counter lives in Postgres (shared by every app instance), keyed by address and path.
    const row = await prisma().rateLimit.findUnique({ where: { key: "203.0.113.77|/sign-in/email" } });
    assert.equal(row?.count, SIGN_IN_RATE_LIMIT.max);

    // Another address is not affected.
    const elsewhere = await getAuth().handler(signInRequest(agent.email, TEST_PASSWORD, { "x-client-address": "203.0.113.78" }));
    assert.equal(elsewhere.status, 200);
  });

});
