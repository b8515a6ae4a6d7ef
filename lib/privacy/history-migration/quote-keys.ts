import "server-only";
import type { PrismaClient } from "../../generated/prisma/client";
import type { DataKeyring } from "../data-keyring";

/** The data keys of some quotes, and which of them were erased (PersonalDataErased is in their stream). */
export interface QuoteKeys {
  keys: Map<string, Buffer>;
  erased: Set<string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Two queries at most, whatever the number of quotes: the keys (the keyring's), then the erasures of those without. */
export async function quoteKeys(db: PrismaClient, keyring: DataKeyring, quoteIds: readonly string[]): Promise<QuoteKeys> {
  const ids = [...new Set(quoteIds)].filter((id) => UUID.test(id));
  const keys = await keyring.keys(ids);
  const keyless = ids.filter((id) => !keys.has(id));
  if (keyless.length === 0) return { keys, erased: new Set() };
  const rows = await db.$queryRaw<{ quoteId: string }[]>`
    SELECT DISTINCT stream_id::text AS "quoteId" FROM events WHERE stream_id = ANY(${keyless}::uuid[]) AND type = 'PersonalDataErased'`;
  return { keys, erased: new Set(rows.map((row) => row.quoteId)) };
}
