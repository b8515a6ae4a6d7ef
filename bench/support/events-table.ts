/** Bulk writes into the event store's table (`events`) for the relay and rebuild benchmarks: `pg`, unnest, 5,000 rows a statement. */
import type pg from "pg";
import type { RecordedEvent } from "../../lib/domain/quote";

export async function insertEvents(pool: pg.Pool, events: readonly RecordedEvent[], options: { published: boolean }): Promise<void> {
  const CHUNK = 5_000;
  for (let start = 0; start < events.length; start += CHUNK) {
    const chunk = events.slice(start, start + CHUNK);
    await pool.query(
      `INSERT INTO events (event_id, stream_id, version, type, data, correlation_id, causation_id, actor, occurred_at, published_at)
       SELECT e.event_id, e.stream_id, e.version, e.type, e.data, e.correlation_id, e.causation_id, e.actor, e.occurred_at, CASE WHEN $10 THEN now() END
         FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::jsonb[], $6::text[], $7::text[], $8::jsonb[], $9::timestamptz[])
           AS e(event_id, stream_id, version, type, data, correlation_id, causation_id, actor, occurred_at)`,
      [
        chunk.map((e) => e.eventId),
        chunk.map((e) => e.quoteId),
        chunk.map((e) => e.version),
        chunk.map((e) => e.type),
        chunk.map((e) => JSON.stringify(e.data)),
        chunk.map((e) => e.correlationId),
        chunk.map((e) => e.causationId),
        chunk.map((e) => JSON.stringify(e.actor)),
        chunk.map((e) => e.occurredAt),
        options.published,
      ],
    );
  }
}
