/**
 * Where the agents' sign-in lives and how its cookies and secret are chosen. Read from the environment here
 * (lib/config's schema does not list these yet):
 *   BETTER_AUTH_URL          the public origin of the app, e.g. https://quotes.example.com (default: http://APP_HOST:APP_PORT)
 *   BETTER_AUTH_SECRET       signs session cookies; at least 32 characters; required in production
 */
import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { displayValue } from "../config/redact";

export const MIN_SECRET_LENGTH = 32;

type Env = Record<string, string | undefined>;

/** The app's public origin: BETTER_AUTH_URL, or where Next.js listens (APP_HOST / APP_PORT, as lib/config reads them). */
export function authBaseUrl(env: Env = process.env): string {
  const explicit = env.BETTER_AUTH_URL?.trim();
  if (explicit) {
    const invalid = () => new Error(`BETTER_AUTH_URL=${displayValue("BETTER_AUTH_URL", explicit)}: must be an http(s) URL, like https://quotes.example.com`);
    let url: URL;
    try {
      url = new URL(explicit);
    } catch {
      throw invalid();
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid();
    return url.origin;
  }
  const rawHost = env.APP_HOST?.trim() || "127.0.0.1";
  // A wildcard bind address is not an origin a browser can use.
  const host = rawHost === "0.0.0.0" || rawHost === "::" ? "localhost" : rawHost;
  const port = env.APP_PORT?.trim() || "3000";
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** A plain-http address on this machine: a developer's `npm run dev` / `npm start`, or the e2e suite. */
export function isLocalPlainHttp(baseUrl: string): boolean {
  const url = new URL(baseUrl);
  return url.protocol === "http:" && LOOPBACK.test(url.hostname);
}

/** Secure cookies (and their `__Secure-` prefix) exactly when the app is served over https. */
export const usesSecureCookies = (baseUrl: string) => new URL(baseUrl).protocol === "https:";

/** Origins allowed to post to the auth endpoints: the base URL, plus its localhost/127.0.0.1 twin on a local run. */
export function trustedOrigins(baseUrl: string): string[] {
  const url = new URL(baseUrl);
  const origins = [url.origin];
  if (isLocalPlainHttp(baseUrl)) {
    const port = url.port ? `:${url.port}` : "";
    for (const host of ["localhost", "127.0.0.1"]) origins.push(`http://${host}${port}`);
  }
  return [...new Set(origins)];
}

/**
 * @deprecated Better Auth no longer reads X-Forwarded-For: the app's server (scripts/next-server.ts) decides the
 * client address from TRUSTED_PROXIES (lib/config, which still accepts this old name) and nothing calls this.
 */
export function trustedProxies(env: Env = process.env): string[] {
  return (env.AUTH_TRUSTED_PROXIES ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
}

export class AuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthConfigError";
  }
}

export interface ResolvedSecret {
  secret: string;
  source: "env" | "generated";
}

/**
 * BETTER_AUTH_SECRET when set. Otherwise, on a developer's machine (not production, or a production build served
 * over plain http on loopback, as `npm start` and the e2e suite do), a random secret generated once and kept in
 * `.data/auth-secret` so sessions survive restarts and every local process agrees. A real deployment (production
 * on any other address) without it is refused with a message saying what to set.
 */
export function resolveAuthSecret(options: { env?: Env; baseUrl: string; dataDir?: string }): ResolvedSecret {
  const env = options.env ?? process.env;
  const fromEnv = env.BETTER_AUTH_SECRET?.trim();
  const production = env.NODE_ENV === "production";
  const deployed = production && !isLocalPlainHttp(options.baseUrl);
  if (fromEnv) {
    if (deployed && fromEnv.length < MIN_SECRET_LENGTH) {
      throw new AuthConfigError(`BETTER_AUTH_SECRET=${displayValue("BETTER_AUTH_SECRET", fromEnv)}: must be at least ${MIN_SECRET_LENGTH} characters (generate one with \`openssl rand -base64 32\`).`);
    }
    return { secret: fromEnv, source: "env" };
  }
  if (deployed) {
    throw new AuthConfigError(
      `BETTER_AUTH_SECRET is not set. In production it signs the agents' session cookies: set it to a random string of at least ${MIN_SECRET_LENGTH} characters (generate one with \`openssl rand -base64 32\`).`,
    );
  }
  return { secret: generatedSecret(options.dataDir ?? path.join(process.cwd(), ".data")), source: "generated" };
}

function generatedSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  const read = () => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "");
  const existing = read();
  if (existing.length >= MIN_SECRET_LENGTH) return existing;
  fs.mkdirSync(dataDir, { recursive: true });
  // Written whole to a temporary file, then linked into place: linking is atomic and refuses to replace, so of two
  // processes starting together one wins and the other reads the winner's secret, never a half-written file.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  fs.writeFileSync(temporary, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  try {
    if (existing) fs.rmSync(file, { force: true });
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  return read();
}
