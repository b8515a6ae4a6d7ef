/**
 * Agents' sign-in with Better Auth: email and password, users and sessions in Postgres (tables auth_*), sign-in
 * attempts rate limited per client address in the auth_rate_limits table.
 */
import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import type { PrismaClient } from "../generated/prisma/client";
import { prisma } from "../db/prisma";
import { CLIENT_ADDRESS_HEADER } from "../http/client-address";
import { authBaseUrl, resolveAuthSecret, trustedOrigins, usesSecureCookies } from "./settings";

export const AUTH_BASE_PATH = "/api/auth";

/** The roles a user can have; only "agent" may use the admin pages and API. */
export const AGENT_ROLE = "agent";

/** Sign-in attempts allowed per client address in each window (successful ones count too). */
export const SIGN_IN_RATE_LIMIT = { window: 60, max: 5 } as const;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

const HOUR = 60 * 60;

export interface AuthOptions {
  db: PrismaClient;
  baseUrl: string;
  secret: string;
}

export function createAuth(options: AuthOptions) {
  return betterAuth({
    appName: "Harbor Family Cover",
    baseURL: options.baseUrl,
    basePath: AUTH_BASE_PATH,
    secret: options.secret,
    database: prismaAdapter(options.db, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      // Agents are added by `npm run agents:create`, never by signing up over HTTP.
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
    },
    user: {
      additionalFields: {
        // Fail closed: no default, so a user created any other way than by `npm run agents:create` has no role.
        role: { type: "string", required: false, input: false },
      },
    },
    // A working day; used sessions are extended hourly. No cookie cache: every check reads the session row, so
    // deleting a session (or a user) takes effect on the next request.
    session: { expiresIn: 12 * HOUR, updateAge: HOUR },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { ...SIGN_IN_RATE_LIMIT } },
    },
    trustedOrigins: trustedOrigins(options.baseUrl),
    advanced: {
      // httpOnly and SameSite=Lax are Better Auth's defaults; Secure (with the __Secure- prefix) only over https,
      // so a production build on http://127.0.0.1 (npm start, the e2e suite) can still keep its session.
      useSecureCookies: usesSecureCookies(options.baseUrl),
      // The sign-in limit counts per address as the app's server (scripts/next-server.ts) decided it from the socket
      // and TRUSTED_PROXIES, overwriting this header on every request; never per X-Forwarded-For, which clients write.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { agentAuth?: Auth };

/** The app's auth, built on first use (not at import, so `next build` needs no secret). */
export function getAuth(): Auth {
  if (!globalForAuth.agentAuth) {
    const baseUrl = authBaseUrl();
    const { secret } = resolveAuthSecret({ baseUrl });
    globalForAuth.agentAuth = createAuth({ db: prisma(), baseUrl, secret });
  }
  return globalForAuth.agentAuth;
}
