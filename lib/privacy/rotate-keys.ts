import "server-only";
import type { PrismaClient } from "../generated/prisma/client";
import type { KeyEncryptionKey } from "./key-encryption-key";

export interface RewrapResult {
  rewrapped: number;
  /** Rows wrapped by a key that is none of `from`: left as they were, named for the operator. */
  unknownKekIds: string[];
}

/**
 * Re-wraps every data key not yet wrapped by `to`, a batch at a time. The data keys themselves do not change, so
 * no event is rewritten and processes holding a key in their cache carry on. A row deleted meanwhile (an erasure)
 * is simply not updated.
 */
export async function rewrapDataKeys(db: PrismaClient, from: readonly KeyEncryptionKey[], to: KeyEncryptionKey, batchSize = 500): Promise<RewrapResult> {
  const keks = new Map([...from, to].map((kek) => [kek.id, kek]));
  const unknown = new Set<string>();
  let rewrapped = 0;
  for (;;) {
    const rows = await db.$queryRaw<Array<{ quoteId: string; wrappedKey: Uint8Array; kekId: string }>>`
      SELECT quote_id::text AS "quoteId", wrapped_key AS "wrappedKey", kek_id AS "kekId" FROM quote_data_keys
      WHERE kek_id <> ${to.id} AND NOT (kek_id = ANY(${[...unknown]}::text[]))
      ORDER BY quote_id LIMIT ${batchSize}`;
    if (rows.length === 0) return { rewrapped, unknownKekIds: [...unknown] };
    for (const row of rows) {
      const kek = keks.get(row.kekId);
      if (!kek) {
        unknown.add(row.kekId);
        continue;
      }
      const wrapped = await to.wrap(await kek.unwrap(Buffer.from(row.wrappedKey), row.quoteId), row.quoteId);
      rewrapped += await db.$executeRaw`
        UPDATE quote_data_keys SET wrapped_key = ${wrapped}, kek_id = ${to.id}, rewrapped_at = now()
        WHERE quote_id = ${row.quoteId}::uuid AND kek_id = ${row.kekId}`;
    }
  }
}
