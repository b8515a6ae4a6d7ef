// Fail closed: a user that Better Auth creates without a role (any path other than `npm run agents:create`) is
// allowed nothing in the agent admin.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { getAuth } from "./auth";
import { checkAgentSession } from "./session";
import { signIn, TEST_PASSWORD } from "./testing/agents";
import * as list from "../../app/api/admin/quotes/route";
import * as funnel from "../../app/api/admin/funnel/route";

after(() => prisma().$disconnect());

/** A user and its password account written through Better Auth's own adapter, as its sign-up would, naming no role. */
async function userCreatedByBetterAuth() {
  const context = await getAuth().$context;
  const email = `no-role-${randomUUID().slice(0, 8)}@example.com`;
  const user = await context.internalAdapter.createUser({ email, name: "No Role", emailVerified: true }, { method: "email-password" });
  await context.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: await context.password.hash(TEST_PASSWORD) });
  return { id: user.id, email };
}

describe("a user created through Better Auth without a role", () => {
  it("has no role, and is refused the admin pages' session check and the admin API with 403", async () => {
    const user = await userCreatedByBetterAuth();
    const stored = await prisma().user.findUnique({ where: { id: user.id } });
    assert.notEqual(stored?.role, "agent", "no role is granted by default");

    const cookie = await signIn(user.email);
    const pageCheck = await checkAgentSession(new Headers({ cookie }));
    assert.equal(!pageCheck.ok && pageCheck.error.kind, "forbidden");

    for (const res of [await list.GET(new Request("http://127.0.0.1:3000/api/admin/quotes", { headers: { cookie } })), await funnel.GET(new Request("http://127.0.0.1:3000/api/admin/funnel", { headers: { cookie } }))]) {
      assert.equal(res.status, 403);
      assert.equal(res.headers.get("content-type"), "application/problem+json");
      const body = await res.text();
      assert.doesNotMatch(body, /"items"/, "no quotes listed");
    }
  });
});
