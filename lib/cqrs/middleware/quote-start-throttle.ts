import "server-only";
import ipaddr from "ipaddr.js";
import { fail } from "../app-error";
import type { Middleware } from "../bus";

/** Where the counters live (created at first use) and how long each address's window is. */
export const QUOTE_START_COUNTERS_TABLE = "quote_start_rate_limits";
export const QUOTE_START_WINDOW_SECONDS = 60;

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one attempt for this key and says whether it is within the limit. */
  hit(key: string): Promise<RateLimitVerdict>;
}

/**
 * What the throttle counts per: an IPv4 address, or the /64 an IPv6 address is in (one subscriber usually holds a
 * whole /64, so walking through its addresses must not buy fresh budgets).
 */
export function quoteStartKeyOf(clientAddress: string | undefined): string {
  const address = clientAddress ?? "unknown";
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  return parsed.kind() === "ipv6" ? `${ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/64`).toString()}/64` : parsed.toString();
}

/**
 * Every started quote makes the worker call the external application-number service, so StartQuote is limited per
 * client address (the command metadata's clientAddress; a message without one counts as "unknown"). Runs after
 * idempotency: a repeat that only replays its first answer starts nothing and costs nothing.
 */
export function quoteStartThrottleMiddleware(limiter: RateLimiter): Middleware {
  return async (command, _definition, next) => {
    if (command.type !== "StartQuote") return next(command);
    const verdict = await limiter.hit(quoteStartKeyOf(command.metadata.clientAddress));
    if (verdict.allowed) return next(command);
    const wait = verdict.retryAfterSeconds === 1 ? "a second" : `${verdict.retryAfterSeconds} seconds`;
    return fail({
      kind: "too_many_requests",
      retryAfterSeconds: verdict.retryAfterSeconds,
      detail: `Too many quotes have been started from your network in the last minute. Please wait ${wait}, then try again.`,
    });
  };
}
