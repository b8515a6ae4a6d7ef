/**
 * The cookies the customer wizard uses, server side. The access token lives only in the httpOnly cookie that
 * the HTTP API also reads (`quote_access_<quoteId>`); the other two carry nothing secret.
 */
import "server-only";
import { cookies, headers } from "next/headers";
import { accessCookieName } from "../http/request-metadata";
import { CUSTOMER_COOKIE_MAX_AGE_SECONDS, versionCookieName } from "./version-cookie";

export { accessCookieName, versionCookieName };

/** Which quote this browser worked on last: the home page offers "Continue your quote". */
export const LAST_QUOTE_COOKIE = "last_quote";

/** Secure when the request came over https (directly or through a proxy), as the HTTP API does. */
async function isHttps(): Promise<boolean> {
  const h = await headers();
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return proto === "https";
}

export async function accessCookieOptions() {
  return { httpOnly: true, sameSite: "lax" as const, path: "/", maxAge: CUSTOMER_COOKIE_MAX_AGE_SECONDS, secure: await isHttps() };
}

/** The version cookie is written by the browser too, so it is not httpOnly. */
export async function versionCookieOptions() {
  return { httpOnly: false, sameSite: "lax" as const, path: "/", maxAge: CUSTOMER_COOKIE_MAX_AGE_SECONDS, secure: await isHttps() };
}

/** After a save posted without JavaScript: the pages this browser opens next wait for this version, as after a script's save. */
export async function rememberSavedVersion(quoteId: string, version: number): Promise<void> {
  (await cookies()).set(versionCookieName(quoteId), String(version), await versionCookieOptions());
}
