import "server-only";
import { mapPersonalValues, PERSONAL_EVENT_TYPES } from "../../domain/quote/personal-data";
import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import type { DataKeyring } from "../data-keyring";
import { sealEvent } from "../event-sealing";
import { isSealed } from "../sealed-value";
import { erasePlainValues, plainValueCount } from "./plain-values";

/**
 * Step one of migrating the history (`npm run privacy:migrate-history -- --events`): every personal value still plain
 * in the `events` table, written before encryption existed, is encrypted in place under its quote's data key, with the
 * event store's own sealing. A quote without a key gets one, made and wrapped by the keyring as an append makes it.
 *
 * An erased quote has no key, and none is made for it: its plain values are overwritten with the erased marker, which
 * is what every reader already shows for them. Rewriting rows of an append-only log is the point here, and only the
 * personal values change: ids, versions, positions and `tx_id` stay, so the relay's progress is untouched.
 *
 * The table is scanned in position order, a batch at a time; each quote with plain values is rewritten in one
 * transaction. Running it again finds nothing left to do; stopped half way, it picks up whatever is still plain.
 */

export interface EncryptStoredEventsResult {
  /** Events of the personal types read. */
  scanned: number;
  /** Quotes whose plain values were encrypted. */
  quotesEncrypted: number;
  /** Erased quotes whose plain values became the erased marker. */
  quotesErased: number;
  /** Events rewritten. */
  events: number;
  /** Plain values encrypted, or erased. */
  values: number;
  /** Data keys made for quotes that had none. */
  keysCreated: number;
}

export interface EncryptStoredEventsOptions {
  db: PrismaClient;
  keyring: DataKeyring;
  batchSize?: number;
  onBatch?: (progress: EncryptStoredEventsResult & { position: bigint }) => void;
}

type Tx = Prisma.TransactionClient;
interface PersonalRow {
  eventId: string;
  type: string;
  data: unknown;
}

const holdsSealedValue = (row: PersonalRow): boolean => {
  let sealed = false;
  mapPersonalValues(row.type, row.data, (value) => {
    if (isSealed(value)) sealed = true;
    return value;
  });
  return sealed;
};

export async function encryptStoredEvents(options: EncryptStoredEventsOptions): Promise<EncryptStoredEventsResult> {
  const { db, keyring } = options;
  const batchSize = options.batchSize ?? 1_000;
  const types = [...PERSONAL_EVENT_TYPES];
  const result: EncryptStoredEventsResult = { scanned: 0, quotesEncrypted: 0, quotesErased: 0, events: 0, values: 0, keysCreated: 0 };
  for (let after = 0n; ; ) {
    const rows = await db.$queryRaw<Array<PersonalRow & { position: bigint; quoteId: string }>>`
      SELECT position, stream_id::text AS "quoteId", event_id::text AS "eventId", type, data FROM events
      WHERE position > ${after} AND type = ANY(${types}::text[])
      ORDER BY position LIMIT ${batchSize}`;
    if (rows.length === 0) return result;
    result.scanned += rows.length;
    after = rows[rows.length - 1]!.position;
    const quotes = [...new Set(rows.filter((row) => plainValueCount(row.type, row.data) > 0).map((row) => row.quoteId))];
    for (const quoteId of quotes) {
      const outcome = await migrateQuote(db, keyring, quoteId);
      if (outcome.erased) result.quotesErased++;
      else if (outcome.events > 0) result.quotesEncrypted++;
      result.events += outcome.events;
      result.values += outcome.values;
      if (outcome.keyCreated) result.keysCreated++;
    }
    options.onBatch?.({ ...result, position: after });
  }
}

interface QuoteOutcome {
  erased: boolean;
  events: number;
  values: number;
  keyCreated: boolean;
}

/** One quote's personal events, in one transaction that holds their rows. */
async function migrateQuote(db: PrismaClient, keyring: DataKeyring, quoteId: string): Promise<QuoteOutcome> {
  let keyCreated = false;
  try {
    const outcome = await db.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<PersonalRow[]>`
          SELECT event_id::text AS "eventId", type, data FROM events
          WHERE stream_id = ${quoteId}::uuid AND type = ANY(${[...PERSONAL_EVENT_TYPES]}::text[])
          ORDER BY version FOR UPDATE`;
        const [state] = await tx.$queryRaw<{ erased: boolean; wrappedKey: Uint8Array | null; kekId: string | null }[]>`
          SELECT EXISTS (SELECT 1 FROM events WHERE stream_id = ${quoteId}::uuid AND type = 'PersonalDataErased') AS erased,
                 k.wrapped_key AS "wrappedKey", k.kek_id AS "kekId"
          FROM (SELECT 1) one LEFT JOIN quote_data_keys k ON k.quote_id = ${quoteId}::uuid`;
        const plain = rows.filter((row) => plainValueCount(row.type, row.data) > 0);
        const values = plain.reduce((sum, row) => sum + plainValueCount(row.type, row.data), 0);
        // Sealed values without a key: the key was deleted, which only an erasure does.
        const erased = state!.erased || (!state!.wrappedKey && rows.some(holdsSealedValue));
        if (erased) {
          for (const row of plain) await rewrite(tx, row.eventId, erasePlainValues(row.type, row.data));
          return { erased, events: plain.length, values, keyCreated: false };
        }
        const key = state!.wrappedKey
          ? (await keyring.fromRow(quoteId, { wrappedKey: Buffer.from(state!.wrappedKey), kekId: state!.kekId! }))!
          : await createKey(tx, keyring, quoteId, () => (keyCreated = true));
        for (const row of plain) await rewrite(tx, row.eventId, sealEvent(row, key, quoteId).data);
        return { erased, events: plain.length, values, keyCreated };
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
    if (keyCreated) await dropKeyIfErasedMeanwhile(db, keyring, quoteId);
    return outcome;
  } catch (error) {
    // The keyring remembers the key it made; a rolled-back one must not be used by anything after.
    if (keyCreated) keyring.forget(quoteId);
    throw error;
  }
}

/**
 * A key as the event store makes it (the keyring wraps it under DATA_KEY_ENCRYPTION_KEY). An append that made one for
 * the same quote first wins: its key is used, since its values are already sealed under it.
 */
async function createKey(tx: Tx, keyring: DataKeyring, quoteId: string, created: () => void): Promise<Buffer> {
  const made = await keyring.create(quoteId);
  const inserted = await tx.$executeRaw`
    INSERT INTO quote_data_keys (quote_id, wrapped_key, kek_id) VALUES (${quoteId}::uuid, ${made.wrappedKey}::bytea, ${made.kekId})
    ON CONFLICT (quote_id) DO NOTHING`;
  if (inserted === 1) {
    created();
    return made.key;
  }
  keyring.forget(quoteId);
  const [row] = await tx.$queryRaw<{ wrappedKey: Uint8Array; kekId: string }[]>`
    SELECT wrapped_key AS "wrappedKey", kek_id AS "kekId" FROM quote_data_keys WHERE quote_id = ${quoteId}::uuid`;
  return (await keyring.fromRow(quoteId, { wrappedKey: Buffer.from(row!.wrappedKey), kekId: row!.kekId }))!;
}

/**
 * An erasure that committed while the key was being made deleted no key (there was none yet to see): the key made
 * here must go, or the values just sealed under it would still decrypt.
 */
async function dropKeyIfErasedMeanwhile(db: PrismaClient, keyring: DataKeyring, quoteId: string): Promise<void> {
  const dropped = await db.$executeRaw`
    DELETE FROM quote_data_keys WHERE quote_id = ${quoteId}::uuid
    AND EXISTS (SELECT 1 FROM events WHERE stream_id = ${quoteId}::uuid AND type = 'PersonalDataErased')`;
  if (dropped > 0) keyring.forget(quoteId);
}

async function rewrite(tx: Tx, eventId: string, data: unknown): Promise<void> {
  await tx.$executeRaw`UPDATE events SET data = ${JSON.stringify(data)}::jsonb WHERE event_id = ${eventId}::uuid`;
}
