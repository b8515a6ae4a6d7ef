/**
 * Benchmark 3 — projection rebuild (lib/projections/rebuild.ts rebuildReadModels) from the first offset of
 * quote-events into a fresh read-model generation, against batched INSERTs (`pg`, 1,000 rows a statement) of the
 * very rows the rebuild produced, into the same tables (truncated first).
 */
import type { Kafka } from "kafkajs";
import pg from "pg";
import type { PrismaClient } from "../lib/generated/prisma/client";
import type { SchemaRegistry } from "../lib/messaging/avro/schema-registry";
import { rebuildReadModels } from "../lib/projections/rebuild";

export interface RebuildResult {
  events: number;
  schema: string;
  rebuild: { eventsPerSecond: number; seconds: number; secondsIncludingStop: number; applied: number; skipped: number; parked: number; startupSeconds: number; steadyEventsPerSecond: number };
  baseline: { eventsPerSecond: number; seconds: number; rows: Record<string, number> };
}

const TABLES = ["quote_details", "quote_summaries", "quote_timeline", "funnel_counts", "projection_checkpoints"] as const;
const ROWS_PER_INSERT = 1_000;
/** Every value as Postgres prints it: copied back with an explicit cast, nothing is reinterpreted by the driver. */
const asText = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

async function columnsOf(pool: pg.Pool, schema: string, table: string): Promise<Array<{ name: string; type: string }>> {
  const { rows } = await pool.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [`"${schema}"."${table}"`],
  );
  return rows;
}

/** Batched INSERTs of `rows` (text values) into schema.table. */
async function insertRows(pool: pg.Pool, schema: string, table: string, columns: Array<{ name: string; type: string }>, rows: unknown[][]) {
  const names = columns.map((c) => `"${c.name}"`).join(", ");
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => `(${row.map((value, i) => (values.push(value), `$${values.length}::${columns[i]!.type}`)).join(", ")})`);
    await pool.query(`INSERT INTO "${schema}"."${table}" (${names}) VALUES ${tuples.join(", ")}`, values);
  }
}

export async function benchRebuild(options: { db: PrismaClient; databaseUrl: string; kafka: Kafka; registry: SchemaRegistry; events: number; log: (line: string) => void }): Promise<RebuildResult> {
  const { log } = options;
  // Progress comes after each applied batch: the first one tells how long the consumer took to join and fetch.
  let firstBatchAt = 0;
  let firstApplied = 0;
  let lastBatchAt = 0;
  const started = performance.now();
  const result = await rebuildReadModels({
    db: options.db,
    databaseUrl: options.databaseUrl,
    kafka: options.kafka,
    registry: options.registry,
    activate: false,
    onProgress: ({ applied }) => {
      lastBatchAt = performance.now();
      if (!firstBatchAt) [firstBatchAt, firstApplied] = [lastBatchAt, applied];
    },
  });
  const startupSeconds = (firstBatchAt - started) / 1000;
  const steadyEventsPerSecond = lastBatchAt > firstBatchAt ? (result.applied - firstApplied) / ((lastBatchAt - firstBatchAt) / 1000) : Number.NaN;
  log(`  rebuild start-up (new consumer group joins, first fetch): ${startupSeconds.toFixed(1)} s; after that ${Math.round(steadyEventsPerSecond)} events/s`);
  if (result.applied !== options.events) throw new Error(`rebuild applied ${result.applied} events, expected ${options.events} (skipped ${result.skipped}, parked ${result.parked})`);
  // Until the last batch was applied (the read models are complete); rebuildReadModels' own figure also includes
  // stopping its consumer (kafkajs leaves the group), which is clean-up.
  const seconds = (lastBatchAt - started) / 1000;
  const rebuild = { eventsPerSecond: result.applied / seconds, seconds, secondsIncludingStop: result.seconds, applied: result.applied, skipped: result.skipped, parked: result.parked, startupSeconds, steadyEventsPerSecond };
  log(`  rebuild: ${result.applied} events applied in ${seconds.toFixed(1)} s = ${Math.round(rebuild.eventsPerSecond)} events/s (${result.seconds.toFixed(1)} s with the consumer's disconnect; into ${result.schema})`);

  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  try {
    const copies: Array<{ table: string; columns: Array<{ name: string; type: string }>; rows: unknown[][] }> = [];
    for (const table of TABLES) {
      const columns = await columnsOf(pool, result.schema, table);
      const { rows } = await pool.query({ text: `SELECT ${columns.map((c) => `"${c.name}"`).join(", ")} FROM "${result.schema}"."${table}"`, rowMode: "array", types: asText });
      copies.push({ table, columns, rows: rows as unknown[][] });
    }
    await pool.query(`TRUNCATE ${TABLES.map((t) => `"${result.schema}"."${t}"`).join(", ")}`);
    await pool.query("CHECKPOINT");
    const started = performance.now();
    for (const copy of copies) await insertRows(pool, result.schema, copy.table, copy.columns, copy.rows);
    const seconds = (performance.now() - started) / 1000;
    const rows = Object.fromEntries(copies.map((c) => [c.table, c.rows.length]));
    log(`  baseline pg INSERTs: ${Object.values(rows).reduce((a, b) => a + b, 0)} rows (${JSON.stringify(rows)}) in ${seconds.toFixed(1)} s = ${Math.round(result.applied / seconds)} events/s`);
    return { events: options.events, schema: result.schema, rebuild, baseline: { eventsPerSecond: result.applied / seconds, seconds, rows } };
  } finally {
    await pool.end();
  }
}
