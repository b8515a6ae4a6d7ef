import "server-only";
import type { RecordedEvent } from "../domain/quote";
import type { AccessTokenRow } from "../access/quote-access";
import type { StoredIdempotentResult } from "../cqrs/middleware/idempotency";
import { ConcurrencyConflictError, IdempotencyReplayError } from "./errors";
import { recordEvents, type EventStore, type ScheduledCommandInput } from "./event-store";

interface IdempotencyRow extends StoredIdempotentResult {
  expiresAt: Date;
}

/**
 * The event store's contract kept in memory, so the bus, its middleware and every command handler can be tested
 * without a database. Each append is all or nothing, like the statement it stands for; what it wrote besides the
 * events (scheduled commands, access tokens) is readable for assertions.
 */
export function createInMemoryEventStore(options: { idempotencyTtlHours?: number } = {}) {
  const ttlMs = (options.idempotencyTtlHours ?? 24) * 60 * 60 * 1000;
  const streams = new Map<string, RecordedEvent[]>();
  const idempotency = new Map<string, IdempotencyRow>();
  const accessTokens = new Map<string, AccessTokenRow>();
  const scheduled: Array<ScheduledCommandInput & { streamId: string }> = [];
  const keyOf = (scope: string, key: string) => `${scope}\u0000${key}`;
  const live = (row: IdempotencyRow | undefined, now = new Date()) => (row && row.expiresAt > now ? row : undefined);

  const store: EventStore = {
    async readForCommand(streamId, request = {}) {
      const record = request.idempotency ? live(idempotency.get(keyOf(request.idempotency.scope, request.idempotency.key))) : undefined;
      return {
        events: [...(streams.get(streamId) ?? [])],
        access: (request.tokenHash && accessTokens.get(request.tokenHash)) || null,
        idempotency: record ? { fingerprint: record.fingerprint, response: record.response } : null,
      };
    },
    async readStream(streamId) {
      return [...(streams.get(streamId) ?? [])];
    },
    async append(streamId, expectedVersion, events, metadata, appendOptions = {}) {
      const occurredAt = appendOptions.now ?? new Date();
      const stream = streams.get(streamId) ?? [];
      if (stream.length !== expectedVersion) throw new ConcurrencyConflictError(streamId, expectedVersion, stream.length);
      const claim = appendOptions.idempotency;
      if (claim && live(idempotency.get(keyOf(claim.scope, claim.key)), occurredAt)) throw new IdempotencyReplayError(claim.key);

      const recorded = recordEvents(streamId, expectedVersion, events, metadata, occurredAt);
      streams.set(streamId, [...stream, ...recorded]);
      if (claim) idempotency.set(keyOf(claim.scope, claim.key), { fingerprint: claim.fingerprint, response: claim.response, expiresAt: new Date(occurredAt.getTime() + ttlMs) });
      for (const command of appendOptions.schedule ?? []) scheduled.push({ ...command, streamId });
      if (appendOptions.grantAccess) {
        accessTokens.set(appendOptions.grantAccess.tokenHash, { quoteId: streamId, kind: appendOptions.grantAccess.kind, lastUsedAt: occurredAt, revokedAt: null });
      }
      return { version: expectedVersion + recorded.length, events: recorded };
    },
    async findIdempotentResult(scope, key) {
      const record = live(idempotency.get(keyOf(scope, key)));
      return record ? { fingerprint: record.fingerprint, response: record.response } : null;
    },
    async deleteExpiredIdempotencyRecords(limit = 1_000) {
      let deleted = 0;
      for (const [key, row] of idempotency) {
        if (deleted >= limit) break;
        if (!live(row)) {
          idempotency.delete(key);
          deleted++;
        }
      }
      return deleted;
    },
  };
  return { ...store, scheduled, accessTokens };
}
