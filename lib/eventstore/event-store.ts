import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor, QuoteEvent, RecordedEvent } from "../domain/quote";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { IdempotencyClaim } from "../cqrs/command";
import type { StoredIdempotentResult } from "../cqrs/middleware/idempotency";
import type { AccessTokenRow } from "../access/quote-access";
import { appendStatement, type AppendOutcome } from "./append-statement";
import { ConcurrencyConflictError, IdempotencyReplayError } from "./errors";
import { traceparentOf } from "../tracing/tracing";
import { withAppendSpans } from "./tracing";
import { metrics } from "../observability/metrics";
import { carriesPersonalData } from "../domain/quote/personal-data";
import type { DataKeyring, WrappedDataKey } from "../privacy/data-keyring";
import { dataKeyring } from "../privacy/configured-keyring";
import { openEvent, sealEvent } from "../privacy/event-sealing";

/** Only for comparing against the design it replaced: serialises every append behind one advisory lock. */
const GLOBAL_APPEND_LOCK_KEY = 7_316_001;

export interface EventMetadata {
  correlationId: string;
  causationId: string | null;
  actor: Actor;
}

export interface ScheduledCommandInput {
  type: string;
  payload: Record<string, unknown>;
  /** When the worker may run it; as soon as possible when absent. */
  runAfter?: Date;
}

export interface AppendOptions {
  /** Stored with the events; a second append with the same scope and key writes nothing and throws IdempotencyReplayError. */
  idempotency?: IdempotencyClaim & { response: unknown };
  /** Asynchronous commands the worker runs after this append commits. */
  schedule?: ScheduledCommandInput[];
  /** A new access token for the stream's quote, written with the events (StartQuote). */
  grantAccess?: { tokenHash: string; kind: "device" | "resume" };
  /** Makes the quote's data key, written with the events (StartQuote). */
  createDataKey?: boolean;
  /** Deletes the quote's data key with the events, so its personal values never decrypt again (PersonalDataErased). */
  destroyDataKey?: boolean;
  now?: Date;
}

export interface AppendResult {
  version: number;
  events: RecordedEvent[];
}

/** An event row as the read statements return it (JSON built in the database gives dates as strings). */
export type EventRow = {
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  data: unknown;
  correlationId: string;
  causationId: string | null;
  actor: unknown;
  occurredAt: Date | string;
};

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    type: row.type,
    data: row.data,
    eventId: row.eventId,
    quoteId: row.streamId,
    version: row.version,
    occurredAt: new Date(row.occurredAt).toISOString(),
    correlationId: row.correlationId,
    causationId: row.causationId,
    actor: row.actor as Actor,
  } as RecordedEvent;
}

/** What a command needs before it decides, read in one statement: the stream, the caller's token, the key's record. */
/** New events as the store records them: ids, their versions after `expectedVersion`, and who, when and why. */
export function recordEvents(streamId: string, expectedVersion: number, events: QuoteEvent[], metadata: EventMetadata, occurredAt: Date): RecordedEvent[] {
  return events.map((event, index) => ({
    ...event,
    eventId: randomUUID(),
    quoteId: streamId,
    version: expectedVersion + index + 1,
    occurredAt: occurredAt.toISOString(),
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    actor: metadata.actor,
  }));
}

export interface CommandReads {
  events: RecordedEvent[];
  /** The row of the caller's access token, when one was asked for and exists. */
  access: AccessTokenRow | null;
  /** The unexpired record of the command's idempotency key, when one was asked for and exists. */
  idempotency: StoredIdempotentResult | null;
}

export interface CommandReadsRequest {
  tokenHash?: string;
  idempotency?: { scope: string; key: string };
}

/** How long an idempotency record answers repeats when the configuration says nothing (IDEMPOTENCY_TTL_HOURS). */
export const DEFAULT_IDEMPOTENCY_TTL_HOURS = 24;

export interface EventStoreOptions {
  /** How long an idempotency record answers repeats before it expires (and the worker deletes it). */
  idempotencyTtlHours?: number;
  /** Serialise appends behind one global lock, as the first design did: only for benchmarks that compare. */
  globalAppendLock?: boolean;
  /** The quotes' data keys; the process's own by default. */
  keyring?: DataKeyring;
  /** Write personal values in plain text, as before encryption existed: only for benchmarks that compare. */
  plainPersonalData?: boolean;
}

/** The write side's store; `createEventStore` keeps it in PostgreSQL, `createInMemoryEventStore` in memory for unit tests. */
export interface EventStore {
  /** The stream, the access token's row and the idempotency record, in one read. */
  readForCommand(streamId: string, request?: CommandReadsRequest): Promise<CommandReads>;
  readStream(streamId: string): Promise<RecordedEvent[]>;
  append(streamId: string, expectedVersion: number, events: QuoteEvent[], metadata: EventMetadata, options?: AppendOptions): Promise<AppendResult>;
  findIdempotentResult(scope: string, key: string): Promise<StoredIdempotentResult | null>;
  deleteExpiredIdempotencyRecords(limit?: number): Promise<number>;
}

/** Prisma wraps errors of raw statements; the SQLSTATE and constraint are in the driver's error. */
function uniqueViolationOf(error: unknown): string | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return null;
  const text = JSON.stringify(error.meta ?? {}) + error.message;
  if (error.code !== "P2002" && !text.includes("23505")) return null;
  return text;
}

/**
 * The write side's store: one quote = one stream of versioned events. A command costs two statements: one read
 * (`readForCommand`) and one write (`append`); no transaction is held open between them, and no lock is taken.
 */
export function createEventStore(db: PrismaClient, storeOptions: EventStoreOptions = {}): EventStore {
  const idempotencyTtlMs = (storeOptions.idempotencyTtlHours ?? DEFAULT_IDEMPOTENCY_TTL_HOURS) * 60 * 60 * 1000;
  const keyring = storeOptions.keyring ?? dataKeyring(db);

  async function readForCommand(streamId: string, request: CommandReadsRequest = {}): Promise<CommandReads> {
    // The quote's wrapped data key comes in the same statement: reading the stream costs no extra round trip.
    const [row] = await db.$queryRaw<{ events: EventRow[]; access: (Omit<AccessTokenRow, "lastUsedAt" | "revokedAt"> & { lastUsedAt: string; revokedAt: string | null }) | null; idempotency: StoredIdempotentResult | null; dataKey: { wrappedKey: string; kekId: string } | null }[]>`
      SELECT
        (SELECT coalesce(json_agg(json_build_object(
            'eventId', event_id, 'streamId', stream_id, 'version', version, 'type', type, 'data', data,
            'correlationId', correlation_id, 'causationId', causation_id, 'actor', actor, 'occurredAt', occurred_at
          ) ORDER BY version), '[]'::json)
         FROM events WHERE stream_id = ${streamId}::uuid) AS events,
        (SELECT json_build_object('quoteId', quote_id, 'kind', kind, 'lastUsedAt', last_used_at, 'revokedAt', revoked_at)
         FROM quote_access_tokens WHERE token_hash = ${request.tokenHash ?? null}::text) AS access,
        (SELECT json_build_object('fingerprint', fingerprint, 'response', response)
         FROM idempotency_records
         WHERE scope = ${request.idempotency?.scope ?? null}::text AND key = ${request.idempotency?.key ?? null}::text AND expires_at > now()) AS idempotency,
        (SELECT json_build_object('wrappedKey', encode(wrapped_key, 'base64'), 'kekId', kek_id)
         FROM quote_data_keys WHERE quote_id = ${streamId}::uuid) AS "dataKey"`;
    const access = row!.access;
    const wrapped: WrappedDataKey | null = row!.dataKey && { wrappedKey: Buffer.from(row!.dataKey.wrappedKey, "base64"), kekId: row!.dataKey.kekId };
    const key = await keyring.fromRow(streamId, wrapped);
    return {
      events: row!.events.map((event) => openEvent(toRecordedEvent(event), key)),
      access: access && { ...access, lastUsedAt: new Date(access.lastUsedAt), revokedAt: access.revokedAt ? new Date(access.revokedAt) : null },
      idempotency: row!.idempotency,
    };
  }

  async function currentVersion(streamId: string): Promise<number> {
    const [row] = await db.$queryRaw<{ version: number }[]>`SELECT coalesce(max(version), 0)::int AS version FROM events WHERE stream_id = ${streamId}::uuid`;
    return row!.version;
  }

  return withAppendSpans({
    readForCommand,

    async readStream(streamId: string): Promise<RecordedEvent[]> {
      return (await readForCommand(streamId)).events;
    },

    /**
     * Appends events after `expectedVersion` (0 for a new stream) with the options' side writes, all in one
     * statement. A concurrent append at the same version throws ConcurrencyConflictError and writes nothing.
     */
    async append(streamId: string, expectedVersion: number, events: QuoteEvent[], metadata: EventMetadata, options: AppendOptions = {}): Promise<AppendResult> {
      const occurredAt = options.now ?? new Date();
      const recorded = recordEvents(streamId, expectedVersion, events, metadata, occurredAt);
      const idem = options.idempotency;
      let newKey = options.createDataKey && !storeOptions.plainPersonalData ? await keyring.create(streamId) : null;
      let key = newKey?.key ?? null;
      if (!key && !storeOptions.plainPersonalData && recorded.some((event) => carriesPersonalData(event.type))) {
        key = await keyring.key(streamId);
        // A quote started before its personal values were encrypted (or a stream another command started, such as a
        // requote) gets its key with this append. An erased quote never comes here: the domain refuses its answers.
        if (!key) {
          newKey = await keyring.create(streamId);
          key = newKey.key;
        }
      }
      const statement = appendStatement({
        streamId,
        expectedVersion,
        events: recorded.map((event) => ({ eventId: event.eventId, version: event.version, type: event.type, data: key ? sealEvent(event, key, streamId).data : event.data })),
        correlationId: metadata.correlationId,
        causationId: metadata.causationId,
        actor: metadata.actor,
        occurredAt,
        idempotency: idem ? { scope: idem.scope, key: idem.key, commandType: idem.commandType, fingerprint: idem.fingerprint, response: idem.response, expiresAt: new Date(occurredAt.getTime() + idempotencyTtlMs) } : null,
        schedule: (options.schedule ?? []).map((command) => ({ id: randomUUID(), type: command.type, payload: command.payload, runAfter: command.runAfter ?? null })),
        grantAccess: options.grantAccess ?? null,
        dataKey: newKey && { wrappedKey: newKey.wrappedKey, kekId: newKey.kekId },
        destroyDataKey: options.destroyDataKey ?? false,
        // The append's span (withAppendSpans), for the relay to carry on to Kafka.
        traceContext: traceparentOf(),
      });
      let outcome: AppendOutcome;
      try {
        if (storeOptions.globalAppendLock) {
          const [, rows] = await db.$transaction([db.$executeRaw`SELECT pg_advisory_xact_lock(${GLOBAL_APPEND_LOCK_KEY})`, db.$queryRaw<AppendOutcome[]>(statement)]);
          outcome = rows[0]!;
        } else {
          outcome = (await db.$queryRaw<AppendOutcome[]>(statement))[0]!;
        }
      } catch (error) {
        const violation = uniqueViolationOf(error);
        if (violation?.includes("version")) throw new ConcurrencyConflictError(streamId, expectedVersion, await currentVersion(streamId));
        if (violation && idem) throw new IdempotencyReplayError(idem.key);
        throw error;
      }
      if (!outcome.atExpectedVersion) throw new ConcurrencyConflictError(streamId, expectedVersion, await currentVersion(streamId));
      if (!outcome.claimedKey) throw new IdempotencyReplayError(idem!.key);
      if (options.destroyDataKey) keyring.forget(streamId);
      for (const event of recorded) metrics().eventsAppended.inc({ type: event.type });
      return { version: expectedVersion + recorded.length, events: recorded };
    },

    async findIdempotentResult(scope: string, key: string): Promise<StoredIdempotentResult | null> {
      const record = await db.idempotencyRecord.findUnique({ where: { scope_key: { scope, key } }, select: { fingerprint: true, response: true, expiresAt: true } });
      return record && record.expiresAt > new Date() ? { fingerprint: record.fingerprint, response: record.response } : null;
    },

    /** Deletes expired idempotency records, a bounded batch at a time; returns how many. */
    async deleteExpiredIdempotencyRecords(limit = 1_000): Promise<number> {
      return db.$executeRaw`DELETE FROM idempotency_records WHERE ctid IN (SELECT ctid FROM idempotency_records WHERE expires_at < now() LIMIT ${limit})`;
    },
  });
}

