import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client";

/**
 * A customer's proofs of access to one quote. Tokens are 32 random bytes (base64url); only their SHA-256 is stored.
 * "device" tokens open the quote (httpOnly cookie, or Bearer on the API); "resume" tokens only let another device
 * ask for a device token of its own, through a confirmation it must POST.
 */
export type AccessTokenKind = "device" | "resume";

export const newAccessToken = () => randomBytes(32).toString("base64url");
export const hashAccessToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** What a well-formed token looks like: anything else is refused before the database is asked. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;
const QUOTE_ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Recording every use would turn each read into a write; once an hour is precise enough for an idle limit of days. */
const LAST_USE_RESOLUTION_MS = 60 * 60 * 1000;

export interface AccessPolicy {
  /** A token unused this long opens nothing. */
  idleDays: number;
  now?: () => Date;
}

export const isQuoteId = (value: unknown): value is string => typeof value === "string" && QUOTE_ID_SHAPE.test(value);

/** What the database holds about one token: what `isLiveAccess` needs to judge it. */
export interface AccessTokenRow {
  quoteId: string;
  kind: string;
  lastUsedAt: Date;
  revokedAt: Date | null;
}

export type AccessVerdict = "refused" | "granted" | "granted, record the use";

/** Whether `token` may be looked up at all: anything malformed is refused before the database is asked. */
export const isWellFormedAccessRequest = (quoteId: unknown, token: string | undefined): token is string =>
  isQuoteId(quoteId) && !!token && TOKEN_SHAPE.test(token);

/** Judges a stored token for this quote and kind; a stale last use asks the caller to record this one. */
export function judgeAccess(row: AccessTokenRow | null, quoteId: string, kind: AccessTokenKind, policy: AccessPolicy): AccessVerdict {
  const now = (policy.now ?? (() => new Date()))();
  if (!row || row.quoteId !== quoteId.toLowerCase() || row.kind !== kind || row.revokedAt) return "refused";
  const idleMs = now.getTime() - row.lastUsedAt.getTime();
  if (idleMs > policy.idleDays * 24 * 60 * 60 * 1000) return "refused";
  return idleMs > LAST_USE_RESOLUTION_MS ? "granted, record the use" : "granted";
}

/** Refreshes a token's idle clock. */
export async function recordAccessUse(db: PrismaClient, token: string, now = new Date()): Promise<void> {
  await db.quoteAccessToken.update({ where: { tokenHash: hashAccessToken(token) }, data: { lastUsedAt: now } });
}

/** Whether `token` is a live token of `kind` for this quote; a use refreshes its idle clock. */
export async function hasQuoteAccess(db: PrismaClient, quoteId: unknown, token: string | undefined, policy: AccessPolicy, kind: AccessTokenKind = "device"): Promise<boolean> {
  if (!isWellFormedAccessRequest(quoteId, token)) return false;
  const row = await db.quoteAccessToken.findUnique({ where: { tokenHash: hashAccessToken(token) } });
  return settleAccess(db, row, quoteId as string, token, kind, policy);
}

/** Judges `row` and records the use when the verdict asks for it. */
export async function settleAccess(db: PrismaClient, row: AccessTokenRow | null, quoteId: string, token: string, kind: AccessTokenKind, policy: AccessPolicy): Promise<boolean> {
  const verdict = judgeAccess(row, quoteId, kind, policy);
  if (verdict === "granted, record the use") await recordAccessUse(db, token, (policy.now ?? (() => new Date()))());
  return verdict !== "refused";
}

/** A new token of `kind` for the quote; returns the plain token once. */
export async function grantQuoteAccess(db: PrismaClient, quoteId: string, kind: AccessTokenKind): Promise<string> {
  const token = newAccessToken();
  await db.quoteAccessToken.create({ data: { tokenHash: hashAccessToken(token), quoteId, kind } });
  return token;
}

/** Revokes every resume token of the quote and every device token but the one in hand; returns how many. */
export async function revokeOtherAccess(db: PrismaClient, quoteId: string, keepToken: string | undefined): Promise<number> {
  const keep = keepToken ? hashAccessToken(keepToken) : "";
  const { count } = await db.quoteAccessToken.updateMany({ where: { quoteId, revokedAt: null, tokenHash: { not: keep } }, data: { revokedAt: new Date() } });
  return count;
}
