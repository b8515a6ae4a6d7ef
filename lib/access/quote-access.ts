import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client";

/** A customer's proof of access to one quote: 32 random bytes, base64url. Only its hash is stored. */
export const newAccessToken = () => randomBytes(32).toString("base64url");
export const hashAccessToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function hasQuoteAccess(db: PrismaClient, quoteId: string, token: string | undefined): Promise<boolean> {
  if (!token) return false;
  const access = await db.quoteAccess.findUnique({ where: { quoteId } });
  if (!access) return false;
  const expected = Buffer.from(access.tokenHash, "hex");
  const actual = Buffer.from(hashAccessToken(token), "hex");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
