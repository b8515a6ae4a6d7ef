/**
 * Who may read the metrics: a caller on loopback (a Prometheus beside the process, an operator's curl on the box),
 * or one sending `Authorization: Bearer <METRICS_TOKEN>`. Without a token configured, only loopback. The address is
 * the one the app decided from the socket and the trusted proxies (lib/http/trusted-proxies.ts), never a header a
 * client wrote. The token is compared in constant time and never logged.
 */
import "server-only";
import { timingSafeEqual } from "node:crypto";
import ipaddr from "ipaddr.js";

export function isLoopback(address: string): boolean {
  const trimmed = address.trim();
  if (!ipaddr.isValid(trimmed)) return false;
  return ipaddr.process(trimmed).range() === "loopback";
}

function holdsToken(authorization: string | null | undefined, token: string | undefined): boolean {
  const given = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token || !given) return false;
  const [a, b] = [Buffer.from(token), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
}

export function mayReadMetrics(request: { clientAddress: string; authorization: string | null | undefined }, token: string | undefined): boolean {
  return isLoopback(request.clientAddress) || holdsToken(request.authorization, token);
}

/** The methods the metrics endpoints answer; anything else is 405 with this Allow. */
export const METRICS_METHODS = "GET, HEAD, OPTIONS";
