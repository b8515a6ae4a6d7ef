// Test helpers: agents with unique emails, and sign-in through Better Auth's real HTTP handler.
import { randomBytes, randomUUID } from "node:crypto";
import { createAgent } from "../agents";
import { CLIENT_ADDRESS_HEADER } from "../../http/client-address";
import { getAuth, type Auth } from "../auth";
import { authBaseUrl } from "../settings";
import { prisma } from "../../db/prisma";

export const TEST_PASSWORD = "correct horse battery staple";

/** A random private address for each sign-in, so tests do not share (and exhaust) one rate-limit bucket. */
export const uniqueIp = () => `10.${[...randomBytes(3)].join(".")}`;

export async function newUser(role = "agent") {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
  const user = await createAgent(prisma(), { email, name: `Test ${role}`, password: TEST_PASSWORD, role });
  return { ...user, password: TEST_PASSWORD };
}

export function signInRequest(email: string, password: string, headers: Record<string, string> = {}, baseUrl = authBaseUrl()) {
  return new Request(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", [CLIENT_ADDRESS_HEADER]: uniqueIp(), ...headers },
    body: JSON.stringify({ email, password }),
  });
}

/** Signs in through the handler and returns the Cookie header a browser would send next. */
export async function signIn(email: string, password = TEST_PASSWORD, auth: Auth = getAuth()): Promise<string> {
  const res = await auth.handler(signInRequest(email, password));
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}
