import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor, QuoteEvent, RecordedEvent } from "../domain/quote";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { IdempotencyClaim } from "../cqrs/command";
import type { StoredIdempotentResult } from "../cqrs/middleware/idempotency";
import { ConcurrencyConflictError, IdempotencyReplayError } from "./errors";

/** Appends take this transaction-scoped lock so that global position order is also commit order. */
const APPEND_LOCK_KEY = 7_316_001;

export interface EventMetadata {
  correlationId: string;
  causationId: string | null;
  actor: Actor;
}

export interface ScheduledCommandInput {
  type: string;
  payload: Record<string, unknown>;
}

export interface AppendOptions {
  /** Stored with the events; a second append with the same scope and key writes nothing and throws IdempotencyReplayError. */
  idempotency?: IdempotencyClaim & { response: Prisma.InputJsonValue };
  /** Asynchronous commands the worker runs after this append commits. */
  schedule?: ScheduledCommandInput[];
  /** Extra writes in the same transaction (e.g. a new quote's access token). */
  alsoWrite?: (tx: Prisma.TransactionClient) => Promise<unknown>;
  now?: Date;
}

export interface AppendResult {
  version: number;
  events: RecordedEvent[];
}

type Row = {
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  data: Prisma.JsonValue;
  correlationId: string;
  causationId: string | null;
  actor: Prisma.JsonValue;
  occurredAt: Date;
};

export function toRecordedEvent(row: Row): RecordedEvent {
  return {
    type: row.type,
    data: row.data,
    eventId: row.eventId,
    quoteId: row.streamId,
    version: row.version,
    occurredAt: row.occurredAt.toISOString(),
    correlationId: row.correlationId,
    causationId: row.causationId,
    actor: row.actor as Actor,
  } as RecordedEvent;
}

const isUniqueViolation = (error: unknown, target: string) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" && JSON.stringify(error.meta ?? {}).includes(target);

export interface EventStoreOptions {
  /** How long an idempotency record answers repeats before it expires (and the worker deletes it). */
  idempotencyTtlHours?: number;
}

/** The write side's store: one quote = one stream of versioned events. */
export function createEventStore(db: PrismaClient, storeOptions: EventStoreOptions = {}) {
  const idempotencyTtlMs = (storeOptions.idempotencyTtlHours ?? 24) * 60 * 60 * 1000;
  return {
    async readStream(streamId: string): Promise<RecordedEvent[]> {
      const rows = await db.storedEvent.findMany({ where: { streamId }, orderBy: { version: "asc" } });
      return rows.map(toRecordedEvent);
    },

    /**
     * Appends events after `expectedVersion` (0 for a new stream) in one transaction, with the options' side
     * writes. A concurrent append at the same version throws ConcurrencyConflictError and writes nothing.
     */
    async append(streamId: string, expectedVersion: number, events: QuoteEvent[], metadata: EventMetadata, options: AppendOptions = {}): Promise<AppendResult> {
      const occurredAt = options.now ?? new Date();
      const recorded: RecordedEvent[] = events.map((event, index) => ({
        ...event,
        eventId: randomUUID(),
        quoteId: streamId,
        version: expectedVersion + index + 1,
        occurredAt: occurredAt.toISOString(),
        correlationId: metadata.correlationId,
        causationId: metadata.causationId,
        actor: metadata.actor,
      }));
      try {
        await db.$transaction(async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY})`;
          if (options.idempotency) {
            const where = { scope_key: { scope: options.idempotency.scope, key: options.idempotency.key } };
            const seen = await tx.idempotencyRecord.findUnique({ where, select: { expiresAt: true } });
            if (seen && seen.expiresAt > occurredAt) throw new IdempotencyReplayError(options.idempotency.key);
            if (seen) await tx.idempotencyRecord.delete({ where });
          }
          const current = await tx.storedEvent.aggregate({ where: { streamId }, _max: { version: true } });
          const actualVersion = current._max.version ?? 0;
          if (actualVersion !== expectedVersion) throw new ConcurrencyConflictError(streamId, expectedVersion, actualVersion);
          if (recorded.length) {
            await tx.storedEvent.createMany({
              data: recorded.map((event) => ({
                eventId: event.eventId,
                streamId,
                version: event.version,
                type: event.type,
                data: event.data as Prisma.InputJsonValue,
                correlationId: event.correlationId,
                causationId: event.causationId,
                actor: event.actor as Prisma.InputJsonValue,
                occurredAt,
              })),
            });
          }
          if (options.idempotency) {
            const { key, scope, commandType, fingerprint, response } = options.idempotency;
            await tx.idempotencyRecord.create({ data: { key, scope, commandType, fingerprint, response, expiresAt: new Date(occurredAt.getTime() + idempotencyTtlMs) } });
          }
          if (options.schedule?.length) {
            await tx.scheduledCommand.createMany({
              data: options.schedule.map((command) => ({ id: randomUUID(), type: command.type, streamId, payload: command.payload as Prisma.InputJsonValue, correlationId: metadata.correlationId })),
            });
          }
          await options.alsoWrite?.(tx);
        });
      } catch (error) {
        if (isUniqueViolation(error, "version")) {
          const actual = await db.storedEvent.aggregate({ where: { streamId }, _max: { version: true } });
          throw new ConcurrencyConflictError(streamId, expectedVersion, actual._max.version ?? 0);
        }
        if (isUniqueViolation(error, "key")) throw new IdempotencyReplayError(options.idempotency!.key);
        throw error;
      }
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
  };
}

export type EventStore = ReturnType<typeof createEventStore>;
