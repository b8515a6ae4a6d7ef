import "server-only";
import type { PrismaClient } from "../generated/prisma/client";
import { activeGeneration, readModelClient } from "../projections/generations";

const GENERATION_TTL_MS = 1_000;
let cached: { schema: string; at: number } | null = null;

/** The Prisma client of the live read-model generation (its name re-read at most once a second). */
export async function liveReadModels(db: PrismaClient): Promise<PrismaClient> {
  if (!cached || Date.now() - cached.at > GENERATION_TTL_MS) cached = { schema: await activeGeneration(db), at: Date.now() };
  return cached.schema === "public" ? db : readModelClient(cached.schema);
}

export const READ_YOUR_WRITES_WAIT_MS = 2_000;

/**
 * Read-your-writes: waits (bounded) until the quote's read model has reached `minVersion`. Returns whether it did;
 * callers answer with `stale: true` rather than silently older data.
 */
export async function waitForQuoteVersion(readModels: PrismaClient, quoteId: string, minVersion: number | undefined, waitMs = READ_YOUR_WRITES_WAIT_MS): Promise<boolean> {
  if (!minVersion) return true;
  const deadline = Date.now() + waitMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 100)) {
    const row = await readModels.quoteDetails.findUnique({ where: { quoteId }, select: { version: true } });
    if (row && row.version >= minVersion) return true;
    if (Date.now() + delay > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
