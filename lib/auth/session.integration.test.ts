import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { createAuth, getAuth } from "./auth";
import { checkAgentRequest, checkAgentSession } from "./session";
import { newUser, signIn, signInRequest, TEST_PASSWORD } from "./testing/agents";

after(() => prisma().$disconnect());

const withCookie = (cookie: string) => new Headers({ cookie });

describe("agent sessions", () => {
  it("an agent who signs in gets an httpOnly, SameSite=Lax session cookie (not Secure over plain http)", async () => {
    const agent = await newUser();
    const res = await getAuth().handler(signInRequest(agent.email, TEST_PASSWORD));
    assert.equal(res.status, 200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("better-auth.session_token="));
    assert.ok(cookie, `a session cookie: ${res.headers.getSetCookie()}`);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.doesNotMatch(cookie, /Secure/i);
    const stored = await prisma().account.findFirst({ where: { userId: agent.id, providerId: "credential" } });
    assert.ok(stored?.password && !stored.password.includes(TEST_PASSWORD), "only a hash of the password is stored");
  });

  it("over https the cookie is Secure and carries the __Secure- prefix", async () => {
    const agent = await newUser();
    const auth = createAuth({ db: prisma(), baseUrl: "https://quotes.example.com", secret: "s".repeat(16) + "ecret-for-this-test-only" });
    const res = await auth.handler(signInRequest(agent.email, TEST_PASSWORD, {}, "https://quotes.example.com"));
    assert.equal(res.status, 200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__Secure-better-auth.session_token="));
    assert.ok(cookie, `a secure session cookie: ${res.headers.getSetCookie()}`);
    assert.match(cookie, /; Secure/i);
    assert.match(cookie, /HttpOnly/i);
  });

  it("checks on the server: no session is unauthorized, an agent is the actor, another role is forbidden", async () => {
    const noSession = await checkAgentSession(new Headers());
    assert.deepEqual(noSession, { ok: false, error: { kind: "unauthorized", detail: "Sign in as an agent to do this." } });

    const forged = await checkAgentSession(withCookie("better-auth.session_token=forged.value"));
    assert.equal(forged.ok, false);

    const agent = await newUser();
    const check = await checkAgentSession(withCookie(await signIn(agent.email)));
    assert.ok(check.ok);
    assert.deepEqual(check.session.actor, { kind: "agent", agentId: agent.id });
    assert.equal(check.session.agent.email, agent.email);

    const viewer = await newUser("viewer");
    const refused = await checkAgentSession(withCookie(await signIn(viewer.email)));
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error.kind, "forbidden");
  });

  it("a session ends when its row is deleted (no cookie cache)", async () => {
    const agent = await newUser();
    const cookie = await signIn(agent.email);
    assert.equal((await checkAgentSession(withCookie(cookie))).ok, true);
    await prisma().session.deleteMany({ where: { userId: agent.id } });
    assert.equal((await checkAgentSession(withCookie(cookie))).ok, false);
  });

  it("refuses a state-changing request that another site sent, even with a valid session", async () => {
    const agent = await newUser();
    const cookie = await signIn(agent.email);
    const request = (origin: string) => new Request("http://127.0.0.1:3000/api/admin/quotes/x/approve", { method: "POST", headers: { cookie, origin, host: "127.0.0.1:3000" } });
    const crossSite = await checkAgentRequest(request("https://evil.example"));
    assert.equal(!crossSite.ok && crossSite.error.kind, "forbidden");
    assert.equal((await checkAgentRequest(request("http://127.0.0.1:3000"))).ok, true);
  });

  it("nobody can sign up over HTTP: agents are created by the CLI only", async () => {
    const email = `signup-${Date.now()}@example.com`;
    const res = await getAuth().handler(
      new Request("http://127.0.0.1:3000/api/auth/sign-up/email", { method: "POST", headers: { "content-type": "application/json", "x-client-address": "198.51.100.250" }, body: JSON.stringify({ email, password: TEST_PASSWORD, name: "Mallory" }) }),
    );
    assert.ok(res.status >= 400, `sign-up answered ${res.status}`);
    assert.equal(await prisma().user.count({ where: { email } }), 0);
  });
});
