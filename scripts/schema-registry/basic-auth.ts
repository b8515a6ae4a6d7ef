// HTTP basic auth for the stand-in: one user, compared in constant time.
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string) => createHash("sha256").update(text).digest();

/** True when the Authorization header carries exactly these credentials. */
export function hasCredentials(authorization: string | undefined, username: string, password: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? "");
  const given = match ? Buffer.from(match[1]!, "base64").toString("utf8") : "";
  return timingSafeEqual(digest(given), digest(`${username}:${password}`));
}
