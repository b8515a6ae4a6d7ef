import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import type { PrismaClient } from "../generated/prisma/client";
import { createAuth } from "./auth";
import { handleAuthRequest } from "./auth-route";

// Routing needs no data: a database that holds nothing (the sign-in limit finds no earlier attempts).
const empty = new Proxy({}, { get: () => new Proxy({}, { get: (_, method) => async () => (method === "findMany" ? [] : method === "count" ? 0 : null) }) }) as PrismaClient;
const auth = createAuth({ db: empty, baseUrl: "http://127.0.0.1:3000", secret: randomBytes(32).toString("base64url") });
const ask = (method: string, path: string) => handleAuthRequest(new Request(`http://127.0.0.1:3000${path}`, { method }), auth);

describe("Better Auth's routes", () => {
  it("answer a method an endpoint does not take with 405 and the methods it does", async () => {
    const signIn = await ask("GET", "/api/auth/sign-in/email");
    assert.equal(signIn.status, 405);
    assert.equal(signIn.headers.get("allow"), "POST");
    const signOut = await ask("GET", "/api/auth/sign-out");
    assert.equal(signOut.status, 405);
    assert.equal(signOut.headers.get("allow"), "POST");
    assert.equal((await ask("POST", "/api/auth/get-session")).status, 405);
  });

  it("still answer 404 for a path Better Auth does not serve", async () => {
    assert.equal((await ask("GET", "/api/auth/no-such-endpoint")).status, 404);
    assert.equal((await ask("POST", "/api/auth/sign-up/email/extra")).status, 404);
  });
});
