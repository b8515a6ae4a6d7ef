// The sign-in rate limit through the app's own HTTP server (scripts/next-server.ts in front of Next.js), over real
// TCP: the client address comes from the socket, and X-Forwarded-For only from a proxy the operator trusts.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { SIGN_IN_RATE_LIMIT } from "../lib/auth/auth";
import { newUser, TEST_PASSWORD } from "../lib/auth/testing/agents";
import { prisma } from "../lib/db/prisma";
import { compileRoute, send, startAppServer, type AppServer } from "./test/app-server";

// The reverse proxy in front of the app (TRUSTED_PROXIES); requests from 127.0.0.1 are a client talking directly.
const PROXY = "127.0.0.2";
const randomAddress = () => `10.${[...randomBytes(3)].join(".")}`;

let app: AppServer;

before(async () => {
  app = await startAppServer({ TRUSTED_PROXIES: PROXY, AUTH_TRUSTED_PROXIES: undefined });
  await compileRoute(app.baseUrl, "/api/auth/ok");
});
after(async () => {
  await app?.stop();
  await prisma().$disconnect();
});

function signIn(email: string, password: string, options: { headers?: Record<string, string>; from?: string } = {}) {
  return send(`${app.baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    from: options.from,
    headers: { "content-type": "application/json", origin: app.baseUrl, ...options.headers },
    body: JSON.stringify({ email, password }),
  });
}

describe("sign-in rate limit behind the app's server", () => {
  it("a client cannot escape the limit by writing a different X-Forwarded-For (or x-client-address) on each attempt", async () => {
    const agent = await newUser();
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 12; attempt++) {
      const res = await signIn(agent.email, `wrong password ${attempt}`, { headers: { "x-forwarded-for": randomAddress(), "x-client-address": randomAddress() } });
      statuses.push(res.status);
    }
    const expected = statuses.map((_, i) => (i < SIGN_IN_RATE_LIMIT.max ? 401 : 429));
    assert.deepEqual(statuses, expected, `429 from attempt ${SIGN_IN_RATE_LIMIT.max + 1} on`);
    const blocked = await signIn(agent.email, TEST_PASSWORD, { headers: { "x-forwarded-for": randomAddress() } });
    assert.equal(blocked.status, 429, "not even the right password gets through until the window ends");
    assert.ok(Number(blocked.headers["x-retry-after"]) > 0);
  });

  describe("with the test's own address as a trusted proxy", () => {
    it("different X-Forwarded-For values are different clients", async () => {
      const agent = await newUser();
      const statuses: number[] = [];
      for (let attempt = 1; attempt <= 12; attempt++) {
        statuses.push((await signIn(agent.email, `wrong password ${attempt}`, { from: PROXY, headers: { "x-forwarded-for": randomAddress() } })).status);
      }
      assert.deepEqual(statuses, Array(12).fill(401));
      const signedIn = await signIn(agent.email, TEST_PASSWORD, { from: PROXY, headers: { "x-forwarded-for": randomAddress() } });
      assert.equal(signedIn.status, 200, signedIn.body);
    });

    it("one forwarded client still meets its own limit, counted under its address", async () => {
      const agent = await newUser();
      const client = randomAddress();
      const statuses: number[] = [];
      for (let attempt = 0; attempt <= SIGN_IN_RATE_LIMIT.max; attempt++) {
        statuses.push((await signIn(agent.email, "wrong password", { from: PROXY, headers: { "x-forwarded-for": client } })).status);
      }
      assert.equal(statuses.at(-1), 429, statuses.join(","));
      const row = await prisma().rateLimit.findUnique({ where: { key: `${client}|/sign-in/email` } });
      assert.equal(row?.count, SIGN_IN_RATE_LIMIT.max);
    });

    it("what a client wrote in front of the address the proxy saw is ignored", async () => {
      const agent = await newUser();
      const client = randomAddress();
      const statuses: number[] = [];
      for (let attempt = 0; attempt <= SIGN_IN_RATE_LIMIT.max; attempt++) {
        // The proxy appends the address it received the request from to whatever the client sent.
        statuses.push((await signIn(agent.email, "wrong password", { from: PROXY, headers: { "x-forwarded-for": `${randomAddress()}, ${client}` } })).status);
      }
      assert.equal(statuses.at(-1), 429, statuses.join(","));
    });
  });
});
