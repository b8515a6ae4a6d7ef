import "server-only";
import { Prisma } from "../generated/prisma/client";

/** The channel an append notifies, so the relay starts without polling. */
export const APPENDED_CHANNEL = "events_appended";

/** Everything one append writes, in the shape of the statement's parameters. */
export interface AppendWrite {
  streamId: string;
  expectedVersion: number;
  events: { eventId: string; version: number; type: string; data: unknown }[];
  correlationId: string;
  causationId: string | null;
  actor: unknown;
  occurredAt: Date;
  idempotency: { scope: string; key: string; commandType: string; fingerprint: string; response: unknown; expiresAt: Date } | null;
  schedule: { id: string; type: string; payload: unknown; runAfter: Date | null }[];
  grantAccess: { tokenHash: string; kind: string } | null;
  /** The quote's new data key, wrapped (StartQuote). */
  dataKey?: { wrappedKey: Buffer; kekId: string } | null;
  /** Deletes the quote's data key (PersonalDataErased). */
  destroyDataKey?: boolean;
  /** The W3C traceparent of the append's span, stored on each event for the relay (null when tracing is off). */
  traceContext?: string | null;
}

export interface AppendOutcome {
  /** False when the stream was not at the expected version (nothing was written). */
  atExpectedVersion: boolean;
  /** False when a live idempotency record already holds the key (nothing was written). */
  claimedKey: boolean;
  appended: number;
}

/**
 * The whole append as one statement in autocommit: events, idempotency record, scheduled commands, a new access
 * token and the quote's new data key (or its deletion) are written all or not at all, and the relay is woken. No lock: a second writer at the same version fails on
 * the unique (stream_id, version) index and the statement writes nothing. `expected` also checks that the stream
 * really is at the expected version, so a caller that is ahead of the stream cannot leave a gap.
 *
 * Data-modifying CTEs cannot see each other's rows, only their RETURNING output: each later write is conditioned on
 * `claim` (the key was free, or there is none), which is how a repeat writes nothing.
 */
export function appendStatement(write: AppendWrite): Prisma.Sql {
  const { idempotency: idem, grantAccess } = write;
  return Prisma.sql`
WITH expected AS (
  SELECT ${write.expectedVersion}::int = 0 OR EXISTS (
    SELECT 1 FROM events WHERE stream_id = ${write.streamId}::uuid AND version = ${write.expectedVersion}::int
  ) AS ok
), key_claim AS (
  INSERT INTO idempotency_records (scope, key, command_type, fingerprint, response, expires_at)
  SELECT ${idem?.scope ?? null}::text, ${idem?.key ?? null}::text, ${idem?.commandType ?? null}::text, ${idem?.fingerprint ?? null}::text,
         ${idem ? JSON.stringify(idem.response) : null}::jsonb, ${idem?.expiresAt ?? null}::timestamptz
  FROM expected WHERE expected.ok AND ${idem?.key ?? null}::text IS NOT NULL
  ON CONFLICT (scope, key) DO UPDATE
    SET command_type = EXCLUDED.command_type, fingerprint = EXCLUDED.fingerprint, response = EXCLUDED.response,
        expires_at = EXCLUDED.expires_at, created_at = now()
    WHERE idempotency_records.expires_at <= ${write.occurredAt}::timestamptz
  RETURNING 1
), claim AS (
  SELECT expected.ok AS at_expected_version,
         (${idem?.key ?? null}::text IS NULL OR EXISTS (SELECT 1 FROM key_claim)) AS claimed_key
  FROM expected
), appended AS (
  INSERT INTO events (event_id, stream_id, version, type, data, correlation_id, causation_id, actor, occurred_at, trace_context)
  SELECT e.event_id, ${write.streamId}::uuid, e.version, e.type, e.data::jsonb, ${write.correlationId}::text, ${write.causationId}::text,
         ${JSON.stringify(write.actor)}::jsonb, ${write.occurredAt}::timestamptz, ${write.traceContext ?? null}::text
  FROM unnest(${write.events.map((e) => e.eventId)}::uuid[], ${write.events.map((e) => e.version)}::int[],
              ${write.events.map((e) => e.type)}::text[], ${write.events.map((e) => JSON.stringify(e.data))}::text[]) AS e(event_id, version, type, data),
       claim
  WHERE claim.at_expected_version AND claim.claimed_key
  RETURNING 1
), scheduled AS (
  INSERT INTO scheduled_commands (id, type, stream_id, payload, correlation_id, run_after)
  SELECT s.id, s.type, ${write.streamId}::uuid, s.payload::jsonb, ${write.correlationId}::text, coalesce(s.run_after, now())
  FROM unnest(${write.schedule.map((s) => s.id)}::uuid[], ${write.schedule.map((s) => s.type)}::text[],
              ${write.schedule.map((s) => JSON.stringify(s.payload))}::text[],
              ${write.schedule.map((s) => s.runAfter)}::timestamptz[]) AS s(id, type, payload, run_after),
       claim
  WHERE claim.at_expected_version AND claim.claimed_key
  RETURNING 1
), granted AS (
  INSERT INTO quote_access_tokens (token_hash, quote_id, kind)
  SELECT ${grantAccess?.tokenHash ?? null}::text, ${write.streamId}::uuid, ${grantAccess?.kind ?? null}::text
  FROM claim
  WHERE claim.at_expected_version AND claim.claimed_key AND ${grantAccess?.tokenHash ?? null}::text IS NOT NULL
  RETURNING 1
), keyed AS (
  INSERT INTO quote_data_keys (quote_id, wrapped_key, kek_id)
  SELECT ${write.streamId}::uuid, ${write.dataKey?.wrappedKey ?? null}::bytea, ${write.dataKey?.kekId ?? null}::text
  FROM claim
  WHERE claim.at_expected_version AND claim.claimed_key AND ${write.dataKey?.kekId ?? null}::text IS NOT NULL
  RETURNING 1
), shredded AS (
  DELETE FROM quote_data_keys
  WHERE quote_id = ${write.streamId}::uuid AND ${write.destroyDataKey ?? false}::boolean
    AND EXISTS (SELECT 1 FROM claim WHERE claim.at_expected_version AND claim.claimed_key)
  RETURNING 1
), woken AS (
  SELECT pg_notify(${APPENDED_CHANNEL}, '') FROM claim WHERE claim.at_expected_version AND claim.claimed_key
)
SELECT claim.at_expected_version AS "atExpectedVersion", claim.claimed_key AS "claimedKey",
       (SELECT count(*) FROM appended)::int AS appended,
       (SELECT count(*) FROM scheduled)::int + (SELECT count(*) FROM granted)::int + (SELECT count(*) FROM keyed)::int
         + (SELECT count(*) FROM shredded)::int + (SELECT count(*) FROM woken)::int AS "sideWrites"
FROM claim`;
}
