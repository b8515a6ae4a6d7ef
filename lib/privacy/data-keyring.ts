import "server-only";
import type { PrismaClient } from "../generated/prisma/client";
import { newDataKey } from "./field-cipher";
import type { KeyEncryptionKey } from "./key-encryption-key";

export interface WrappedDataKey {
  wrappedKey: Buffer;
  kekId: string;
}

export interface NewDataKey extends WrappedDataKey {
  key: Buffer;
}

/**
 * The quotes' data keys: made and wrapped here, stored by the event store (with the quote's first event), unwrapped
 * on demand and kept in this process for a short while, since a command or a batch of the projector needs the same
 * key again at once. A quote without a key row has had its personal data erased (or predates encryption): `null`.
 */
export interface DataKeyring {
  readonly current: KeyEncryptionKey;
  create(quoteId: string): Promise<NewDataKey>;
  /** The key from a row the caller already read (the event store reads it with the stream); null: no row. */
  fromRow(quoteId: string, row: WrappedDataKey | null): Promise<Buffer | null>;
  /** The key of one quote, from the cache or the database. */
  key(quoteId: string): Promise<Buffer | null>;
  /** The keys of several quotes, those not cached in one query; quotes without a key are absent. */
  keys(quoteIds: readonly string[]): Promise<Map<string, Buffer>>;
  /** Drops a key from this process's cache (its quote was erased). */
  forget(quoteId: string): void;
}

export interface KeyringOptions {
  /** Keys that wrapped data keys before a rotation, still able to unwrap them. */
  previous?: readonly KeyEncryptionKey[];
  cacheTtlMs?: number;
  cacheSize?: number;
  now?: () => number;
}

export class UnknownKeyEncryptionKeyError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createDataKeyring(db: PrismaClient, current: KeyEncryptionKey, options: KeyringOptions = {}): DataKeyring {
  const ttl = options.cacheTtlMs ?? 60_000;
  const size = options.cacheSize ?? 10_000;
  const now = options.now ?? Date.now;
  const keks = new Map([current, ...(options.previous ?? [])].map((kek) => [kek.id, kek]));
  // Insertion order is age order: the first entry is the oldest, evicted first.
  const cache = new Map<string, { key: Buffer; until: number }>();

  const remember = (quoteId: string, key: Buffer) => {
    cache.delete(quoteId);
    cache.set(quoteId, { key, until: now() + ttl });
    if (cache.size > size) cache.delete(cache.keys().next().value!);
  };
  const cached = (quoteId: string) => {
    const hit = cache.get(quoteId);
    if (hit && hit.until > now()) return hit.key;
    if (hit) cache.delete(quoteId);
    return null;
  };
  const unwrap = async (quoteId: string, row: WrappedDataKey) => {
    const kek = keks.get(row.kekId);
    if (!kek) throw new UnknownKeyEncryptionKeyError(`The data key of quote ${quoteId} is wrapped by ${row.kekId}, which is neither DATA_KEY_ENCRYPTION_KEY nor one of DATA_KEY_ENCRYPTION_KEY_PREVIOUS`);
    const key = await kek.unwrap(row.wrappedKey, quoteId);
    remember(quoteId, key);
    return key;
  };

  return {
    current,
    async create(quoteId) {
      const key = newDataKey();
      const wrappedKey = await current.wrap(key, quoteId);
      remember(quoteId, key);
      return { key, wrappedKey, kekId: current.id };
    },
    async fromRow(quoteId, row) {
      if (!row) {
        cache.delete(quoteId);
        return null;
      }
      return cached(quoteId) ?? unwrap(quoteId, row);
    },
    async key(quoteId) {
      return (await this.keys([quoteId])).get(quoteId) ?? null;
    },
    async keys(quoteIds) {
      const found = new Map<string, Buffer>();
      const missing: string[] = [];
      for (const quoteId of new Set(quoteIds)) {
        const key = cached(quoteId);
        if (key) found.set(quoteId, key);
        else missing.push(quoteId);
      }
      // Only ids that can be keys are looked up (a damaged message's id is not a uuid), by the primary key's index.
      const lookedUp = missing.filter((quoteId) => UUID.test(quoteId));
      if (lookedUp.length) {
        const rows = await db.$queryRaw<Array<{ quoteId: string; wrappedKey: Uint8Array; kekId: string }>>`
          SELECT quote_id::text AS "quoteId", wrapped_key AS "wrappedKey", kek_id AS "kekId"
          FROM public.quote_data_keys WHERE quote_id = ANY(${lookedUp}::uuid[])`;
        for (const row of rows) found.set(row.quoteId, await unwrap(row.quoteId, { wrappedKey: Buffer.from(row.wrappedKey), kekId: row.kekId }));
      }
      return found;
    },
    forget(quoteId) {
      cache.delete(quoteId);
    },
  };
}
