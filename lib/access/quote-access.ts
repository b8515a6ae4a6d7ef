import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "../generated/prisma/client";

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

/** Whether `token` is a live token of `kind` for this quote; a use refreshes its idle clock. */
export async function hasQuoteAccess(db: PrismaClient, quoteId: unknown, token: string | undefined, policy: AccessPolicy, kind: AccessTokenKind = "device"): Promise<boolean> {
  if (!isQuoteId(quoteId) || !token || !TOKEN_SHAPE.test(token)) return false;
  const tokenHash = hashAccessToken(token);
  const row = await db.quoteAccessToken.findUnique({ where: { tokenHash } });
  const now = (policy.now ?? (() => new Date()))();
  if (!row || row.quoteId !== quoteId.toLowerCase() || row.kind !== kind || row.revokedAt) return false;
  if (now.getTime() - row.lastUsedAt.getTime() > policy.idleDays * 24 * 60 * 60 * 1000) return false;
  if (now.getTime() - row.lastUsedAt.getTime() > LAST_USE_RESOLUTION_MS) {
    await db.quoteAccessToken.update({ where: { tokenHash }, data: { lastUsedAt: now } });
  }
  return true;
}

/** A new token of `kind` for the quote, written with the caller's transaction when given; returns the plain token once. */
export async function grantQuoteAccess(db: PrismaClient | Prisma.TransactionClient, quoteId: string, kind: AccessTokenKind): Promise<string> {
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
