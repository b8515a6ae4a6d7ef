/**
 * The customer's quote in React Query's cache, under one key per quote. Writes from this browser update it
 * optimistically; reads (polling for the application number and an agent's decision) refresh it. A read never
 * replaces newer data: the read model may lag behind a write this browser has just made.
 */
import type { CustomerQuoteView } from "@/lib/queries/customer-quote-view";
import { CUSTOMER_COOKIE_MAX_AGE_SECONDS, versionCookieName } from "@/lib/customer/version-cookie";
import type { ConflictError } from "./errors";

/** The server's view plus what only this browser knows. */
export type CachedQuote = CustomerQuoteView & {
  /** Holds answers this browser is still saving. */
  optimistic?: boolean;
  /** "server" for a read; "local" for what this browser wrote into the cache itself. */
  source?: "server" | "local";
};

export const quoteKey = (quoteId: string) => ["quote", quoteId] as const;

export class QuoteFetchError extends Error {
  constructor(readonly status: number) {
    super(`Loading the quote failed with HTTP ${status}`);
    this.name = "QuoteFetchError";
  }
}

/** GET /api/quotes/{id}: the access token travels in its httpOnly cookie. */
export async function fetchQuote(quoteId: string, minVersion?: number): Promise<CachedQuote> {
  const query = minVersion ? `?minVersion=${minVersion}` : "";
  const response = await fetch(`/api/quotes/${quoteId}${query}`, { cache: "no-store", headers: { accept: "application/json" } });
  if (!response.ok) throw new QuoteFetchError(response.status);
  return { ...((await response.json()) as CachedQuote), source: "server" };
}

/**
 * React Query's structuralSharing hook: a read older than what we have (or one that would undo answers still
 * being saved) is ignored. The browser's own writes ("local": optimistic updates, rollbacks) always apply.
 */
export function keepNewer(previous: unknown, incoming: unknown): unknown {
  const old = previous as CachedQuote | undefined;
  const next = incoming as CachedQuote;
  if (!old || !next || next.source !== "server") return incoming;
  if (next.version < old.version) return previous;
  if (old.optimistic && next.version <= old.version) return previous;
  return incoming;
}

/** After a refused stale save: the cached quote takes the latest answers the server sent, and their version. */
export function withLatestAnswers(old: CachedQuote | undefined, conflict: ConflictError): CachedQuote | undefined {
  return old ? { ...old, ...conflict.latest, version: Math.max(old.version, conflict.version), optimistic: false, source: "local" } : old;
}

/** Tells the server pages which version this browser has written, so they wait for it (read-your-writes). */
export function rememberVersion(quoteId: string, version: number) {
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${versionCookieName(quoteId)}=${version}; Path=/; Max-Age=${CUSTOMER_COOKIE_MAX_AGE_SECONDS}; SameSite=Lax${secure}`;
}
