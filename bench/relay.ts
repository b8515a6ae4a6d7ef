/**
 * Benchmark 2 — the outbox relay (lib/messaging/relay.ts createRelay().publishBatch, acks from all in-sync
 * replicas, idempotent producer) draining N unpublished events, against, in the same run and with the same record
 * size: Kafka's own producer benchmark (org.apache.kafka.tools.ProducerPerformance, acks=all) and the naive way
 * (a kafkajs producer connected, one event sent, disconnected, per event).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { Partitioners, type Kafka } from "kafkajs";
import type pg from "pg";
import type { RecordedEvent } from "../lib/domain/quote";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { createLogger } from "../lib/logging/logger";
import { encodeEvent } from "../lib/messaging/avro/event-codec";
import type { SchemaRegistry } from "../lib/messaging/avro/schema-registry";
import { createRelay, readOutbox, RELAY_BATCH_SIZE, relayRecord, type RelayCursor } from "../lib/messaging/relay";
import { advanceRelayProgress } from "../lib/messaging/relay-progress";
import { quoteEventsTopic } from "../lib/messaging/topics";
import { DEFAULT_KAFKA_LIBS_DIR } from "../scripts/kafka/broker";
import { insertEvents } from "./support/events-table";

export const PERF_TOPIC = "bench-producer-perf";

export interface RelayResult {
  events: number;
  recordBytes: number;
  relay: { eventsPerSecond: number; seconds: number; batchSize: number };
  producerPerformance: { eventsPerSecond: number; line: string };
  naive: { eventsPerSecond: number; events: number };
}

export async function ensureTopic(kafka: Kafka, topic: string, partitions = 6) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Kafka's own producer benchmark; returns its records/s and its summary line. Bounded: killed after `limitMs`. */
export function producerPerformance(brokers: string, topic: string, records: number, recordSize: number, limitMs = 180_000): Promise<{ eventsPerSecond: number; line: string }> {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin", "java") : "java";
  const args = [
    "-Xmx256m",
    "-Dlog4j.configuration=file:/dev/null",
    "-cp",
    `${DEFAULT_KAFKA_LIBS_DIR}/*`,
    "org.apache.kafka.tools.ProducerPerformance",
    "--topic", topic,
    "--num-records", String(records),
    "--record-size", String(recordSize),
    "--throughput", "-1",
    "--producer-props", `bootstrap.servers=${brokers}`, "acks=all",
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(java, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      const lines = output.split("\n").filter((l) => /records sent, [\d.]+ records\/sec/.test(l));
      const last = lines[lines.length - 1];
      const match = last?.match(/^(\d+) records sent, ([\d.]+) records\/sec/);
      if (code !== 0 || !last || !match || Number(match[1]) !== records) {
        return reject(new Error(`ProducerPerformance failed (exit ${code}):\n${output.split("\n").slice(-20).join("\n")}`));
      }
      resolve({ eventsPerSecond: Number(match[2]), line: last.trim() });
    });
  });
}

/** The naive way: per event, a new producer connects, sends it with acks=all, and disconnects. */
export async function naiveSends(kafka: Kafka, topic: string, values: Buffer[], keys: string[]): Promise<{ eventsPerSecond: number; events: number }> {
  const started = performance.now();
  for (let i = 0; i < values.length; i++) {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: keys[i]!, value: values[i]! }] });
    await producer.disconnect();
  }
  return { eventsPerSecond: values.length / ((performance.now() - started) / 1000), events: values.length };
}

export async function benchRelay(options: {
  db: PrismaClient;
  pool: pg.Pool;
  kafka: Kafka;
  brokers: string;
  registry: SchemaRegistry;
  events: RecordedEvent[];
  naiveEvents: number;
  log: (line: string) => void;
}): Promise<RelayResult> {
  const { db, pool, kafka, registry, events, log } = options;
  const sample = events.slice(0, 5_000);
  const encoded = sample.map((e) => encodeEvent(e, registry));
  const recordBytes = Math.round(encoded.reduce((sum, b) => sum + b.length, 0) / encoded.length);

  await insertEvents(pool, events, { published: false });
  const relay = createRelay({ db, kafka, registry, log: createLogger("bench-relay") });
  // The first batch connects the producer (InitProducerId): not timed.
  let published = await relay.publishBatch();
  const started = performance.now();
  let timed = 0;
  for (let n = await relay.publishBatch(); n > 0; n = await relay.publishBatch()) timed += n;
  const seconds = (performance.now() - started) / 1000;
  published += timed;
  await relay.stop();
  if (published !== events.length) throw new Error(`relay published ${published} of ${events.length}`);
  const relayFigure = { eventsPerSecond: timed / seconds, seconds, batchSize: RELAY_BATCH_SIZE };
  log(`  relay: ${events.length} events, ${Math.round(relayFigure.eventsPerSecond)} events/s (batch ${RELAY_BATCH_SIZE}, record ~${recordBytes} B)`);

  await ensureTopic(kafka, PERF_TOPIC);
  const perf = await producerPerformance(options.brokers, PERF_TOPIC, events.length, recordBytes);
  log(`  ProducerPerformance: ${Math.round(perf.eventsPerSecond)} records/s (${perf.line})`);

  const naiveCount = Math.min(options.naiveEvents, encoded.length);
  const naive = await naiveSends(kafka, PERF_TOPIC, encoded.slice(0, naiveCount), sample.slice(0, naiveCount).map((e) => e.quoteId));
  log(`  naive connect-send-disconnect: ${naive.eventsPerSecond.toFixed(1)} events/s over ${naiveCount} events`);

  return { events: events.length, recordBytes, relay: relayFigure, producerPerformance: perf, naive };
}

export interface RelayBreakdown {
  events: number;
  /** Share of the relay's time per step, batch of RELAY_BATCH_SIZE. */
  phases: Record<string, { totalMs: number; perBatchMs: number; share: number }>;
  /** publishBatch(limit) draining the same events, for a few batch sizes (what a bigger batch would give). */
  byBatchSize: Array<{ batchSize: number; eventsPerSecond: number }>;
}

/** Makes the last `count` events in relay order unpublished again: the relay's progress goes back to just before them. */
async function markUnpublished(pool: pg.Pool, count: number) {
  const { rows } = await pool.query<{ tx_id: string; position: string }>("SELECT tx_id::text AS tx_id, position::text AS position FROM events ORDER BY tx_id DESC, position DESC OFFSET $1 LIMIT 1", [count]);
  const before = rows[0] ?? { tx_id: "0", position: "0" };
  await pool.query("UPDATE events SET published_at = NULL WHERE (tx_id, position) > ($1::xid8, $2::bigint) AND published_at IS NOT NULL", [before.tx_id, before.position]);
  await pool.query("UPDATE relay_progress SET tx_id = $1::xid8, position = $2::bigint WHERE id = 1", [before.tx_id, before.position]);
}

/**
 * Where the relay's time goes: publishBatch's steps (select unpublished → encode → send → mark published), timed on
 * `count` events re-marked unpublished (they go to the topic a second time: run this after the rebuild benchmark).
 */
export async function relayBreakdown(options: { db: PrismaClient; pool: pg.Pool; kafka: Kafka; registry: SchemaRegistry; count: number; batchSizes: number[] }): Promise<RelayBreakdown> {
  const { db, pool, kafka, registry, count } = options;
  await markUnpublished(pool, count);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const totals = { "read unpublished (readOutbox, raw SQL)": 0, "Avro encode (with schema check)": 0, "send, acks=all (kafkajs)": 0, "mark published (advanceRelayProgress)": 0 };
  let batches = 0;
  let cursor: RelayCursor | null = null;
  for (;;) {
    let t = performance.now();
    const { rows } = await readOutbox(db, cursor, RELAY_BATCH_SIZE);
    totals["read unpublished (readOutbox, raw SQL)"] += performance.now() - t;
    if (rows.length === 0) break;
    t = performance.now();
    const messages = rows.map((row) => relayRecord(row.event, registry));
    totals["Avro encode (with schema check)"] += performance.now() - t;
    t = performance.now();
    await producer.send({ topic: quoteEventsTopic(), acks: -1, messages });
    totals["send, acks=all (kafkajs)"] += performance.now() - t;
    t = performance.now();
    const last = rows[rows.length - 1]!;
    await advanceRelayProgress(db, { txId: last.txId, position: last.position });
    totals["mark published (advanceRelayProgress)"] += performance.now() - t;
    cursor = { txId: last.txId, position: last.position };
    batches++;
  }
  await producer.disconnect();
  const all = Object.values(totals).reduce((a, b) => a + b, 0);
  const phases = Object.fromEntries(Object.entries(totals).map(([name, ms]) => [name, { totalMs: ms, perBatchMs: ms / Math.max(1, batches), share: ms / all }]));

  const byBatchSize: RelayBreakdown["byBatchSize"] = [];
  for (const batchSize of options.batchSizes) {
    await markUnpublished(pool, count);
    const relay = createRelay({ db, kafka, registry, log: createLogger("bench-relay") });
    await relay.publishBatch(1); // connect
    const started = performance.now();
    let n = 0;
    for (let k = await relay.publishBatch(batchSize); k > 0; k = await relay.publishBatch(batchSize)) n += k;
    byBatchSize.push({ batchSize, eventsPerSecond: n / ((performance.now() - started) / 1000) });
    await relay.stop();
  }
  return { events: count, phases, byBatchSize };
}
