/**
 * Benchmark 4 — freshness: from a command's acknowledgement (the HTTP response of PUT …/contact-details) to the read
 * model showing that version, with the worker projecting from Kafka, at a fixed arrival rate (open loop).
 * The bench LISTENs on the projector's `read_model_changed` notifications and checks the pending quotes' versions
 * in quote_details on each (and every 20 ms regardless).
 * Baseline, same run and rate: the transport floor — a kafkajs producer (acks=all) to a kafkajs consumer on a
 * topic of its own, send → receive.
 */
import http from "node:http";
import { randomUUID } from "node:crypto";
import { Partitioners, type Kafka } from "kafkajs";
import pg from "pg";
import type { RecordedEvent } from "../lib/domain/quote";
import { decodeEvent } from "../lib/messaging/avro/event-codec";
import type { SchemaRegistry } from "../lib/messaging/avro/schema-registry";
import { quoteEventsTopic } from "../lib/messaging/topics";
import { READ_MODEL_CHANNEL } from "../lib/projections/apply-batch";
import type { PoolQuote } from "./command-path";
import { ensureTopic } from "./relay";
import { insertEvents } from "./support/events-table";
import { sleep, summarize, waitFor, type Summary } from "./support/stats";

export interface FreshnessRun {
  rate: number;
  seconds: number;
  sent: number;
  /** Not sent because MAX_IN_FLIGHT requests were already waiting: the app could not keep up with the rate. */
  shed: number;
  acknowledged: number;
  refused: number;
  seen: number;
  achievedRate: number;
  ack: Summary;
  freshness: Summary;
  /** Where freshness goes: acknowledgement → the relay sent the event (its record's timestamp on the topic), and
   *  published → visible in the read model (Kafka's ack, consumer fetch, decode, applyBatch's transaction). Wall clock, ms. */
  split: { ackToPublished: Summary; publishedToVisible: Summary };
}

/** Open loop, but bounded: beyond this many unanswered requests, further arrivals are shed (and counted). */
const MAX_IN_FLIGHT = 128;
const BODY = JSON.stringify({ email: "grace@example.com", phoneNumber: "+1 415 555 0199" });

function put(agent: http.Agent, baseUrl: string, quote: PoolQuote): Promise<{ status: number; version: number | null }> {
  const url = new URL(`/api/quotes/${quote.quoteId}/contact-details`, baseUrl);
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: "PUT", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(BODY), authorization: `Bearer ${quote.token}` }, timeout: 10_000 },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => {
          let version: number | null = null;
          try {
            version = (JSON.parse(text) as { version?: number }).version ?? null;
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, version });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve({ status: 0, version: null }));
    req.end(BODY);
  });
}

/** Paces `rate` starts per second for `seconds` (a tick every 5 ms starts whatever is due). */
async function paced(rate: number, seconds: number, start: (i: number) => void): Promise<number> {
  const t0 = performance.now();
  let started = 0;
  const total = Math.round(rate * seconds);
  while (started < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    while (started < due) start(started++);
    await sleep(5);
  }
  return (performance.now() - t0) / 1000;
}

/**
 * When the relay sent each event from now on: the timestamp of its record on `quote-events` (set by the relay's
 * producer, same clock), by quote id and version. Resolves once the watcher's consumer has its partitions.
 */
async function watchSendTimes(kafka: Kafka, registry: SchemaRegistry) {
  const sentAt = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `bench-freshness-watch-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.subscribe({ topic: quoteEventsTopic(), fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      try {
        const event = decodeEvent(message.value!, registry);
        sentAt.set(`${event.quoteId}:${event.version}`, Number(message.timestamp));
      } catch {
        // A record this reader cannot decode (4c parks one on purpose): not one of the run's.
      }
    },
  });
  await joined;
  return { sentAt, stop: () => consumer.disconnect() };
}

export async function freshnessRun(options: { baseUrl: string; databaseUrl: string; kafka: Kafka; registry: SchemaRegistry; pool: PoolQuote[]; rate: number; seconds: number; schema: string }): Promise<FreshnessRun> {
  const { baseUrl, pool, rate, seconds } = options;
  const watch = await watchSendTimes(options.kafka, options.registry);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const listener = new pg.Client({ connectionString: options.databaseUrl });
  const reader = new pg.Client({ connectionString: options.databaseUrl });
  await Promise.all([listener.connect(), reader.connect()]);
  const pending = new Map<string, { version: number; ackAt: number; ackWall: number }>();
  const seen: Array<{ quoteId: string; version: number; ackWall: number; visibleWall: number }> = [];
  const busy = new Set<string>();
  const ackMs: number[] = [];
  const freshnessMs: number[] = [];
  let acknowledged = 0;
  let refused = 0;
  let checking = false;
  let again = false;

  async function check() {
    if (checking) return void (again = true);
    checking = true;
    try {
      do {
        again = false;
        if (pending.size === 0) break;
        const ids = [...pending.keys()];
        const { rows } = await reader.query<{ quote_id: string; version: number }>(`SELECT quote_id, version FROM "${options.schema}".quote_details WHERE quote_id = ANY($1::uuid[])`, [ids]);
        const at = performance.now();
        const wall = Date.now();
        for (const row of rows) {
          const want = pending.get(row.quote_id);
          if (want && row.version >= want.version) {
            freshnessMs.push(at - want.ackAt);
            seen.push({ quoteId: row.quote_id, version: want.version, ackWall: want.ackWall, visibleWall: wall });
            pending.delete(row.quote_id);
          }
        }
      } while (again);
    } finally {
      checking = false;
    }
  }

  listener.on("notification", () => void check());
  await listener.query(`LISTEN ${READ_MODEL_CHANNEL}`);
  const poll = setInterval(() => void check(), 20);

  let cursor = Math.floor(Math.random() * pool.length);
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let shed = 0;
  const elapsed = await paced(rate, seconds, () => {
    if (inFlight.size >= MAX_IN_FLIGHT) return void shed++;
    // The next quote with nothing in flight and nothing pending (one change per quote at a time).
    let quote = pool[cursor++ % pool.length]!;
    for (let tries = 0; (busy.has(quote.quoteId) || pending.has(quote.quoteId)) && tries < pool.length; tries++) quote = pool[cursor++ % pool.length]!;
    busy.add(quote.quoteId);
    sent++;
    const t = performance.now();
    const p = put(agent, baseUrl, quote).then(({ status, version }) => {
      const ackAt = performance.now();
      busy.delete(quote.quoteId);
      if (status >= 200 && status < 300 && version !== null) {
        acknowledged++;
        ackMs.push(ackAt - t);
        pending.set(quote.quoteId, { version, ackAt, ackWall: Date.now() });
      } else refused++;
    });
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
  });
  await Promise.all(inFlight);
  const deadline = Date.now() + 15_000;
  while (pending.size > 0 && Date.now() < deadline) await sleep(20);
  clearInterval(poll);
  while (checking) await sleep(5);
  agent.destroy();
  await watch.stop();
  const publishedAt = watch.sentAt;
  const ackToPublished: number[] = [];
  const publishedToVisible: number[] = [];
  for (const s of seen) {
    const p = publishedAt.get(`${s.quoteId}:${s.version}`);
    if (p === undefined || Number.isNaN(p)) continue;
    ackToPublished.push(p - s.ackWall);
    publishedToVisible.push(s.visibleWall - p);
  }
  await Promise.all([listener.end(), reader.end()]);
  return { split: { ackToPublished: summarize(ackToPublished), publishedToVisible: summarize(publishedToVisible) }, rate, seconds, sent, shed, acknowledged, refused, seen: freshnessMs.length, achievedRate: acknowledged / elapsed, ack: summarize(ackMs), freshness: summarize(freshnessMs) };
}

export const FRESHNESS_BASELINE_TOPIC = "bench-freshness-baseline";

/** The transport floor at the same rate: producer (acks=all) → consumer, send → receive, on a topic of its own. */
export async function kafkaRoundTrip(kafka: Kafka, rate: number, seconds: number): Promise<Summary & { sent: number; received: number }> {
  await ensureTopic(kafka, FRESHNESS_BASELINE_TOPIC);
  const consumer = kafka.consumer({ groupId: `bench-freshness-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  await Promise.all([consumer.connect(), producer.connect()]);
  try {
    await consumer.subscribe({ topic: FRESHNESS_BASELINE_TOPIC, fromBeginning: false });
    let joined: () => void = () => {};
    const join = new Promise<void>((resolve) => (joined = resolve));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      eachMessage: async ({ message }) => {
        const id = message.value?.toString() ?? "";
        const t = sentAt.get(id);
        if (t !== undefined) {
          latencies.push(performance.now() - t);
          sentAt.delete(id);
        }
      },
    });
    await join;
    await sleep(500); // let the consumer's first fetch settle at the end offsets
    const sends = new Set<Promise<unknown>>();
    let sent = 0;
    await paced(rate, seconds, () => {
      const id = randomUUID();
      sentAt.set(id, performance.now());
      sent++;
      const p = producer.send({ topic: FRESHNESS_BASELINE_TOPIC, acks: -1, messages: [{ key: id, value: id }] });
      sends.add(p);
      void p.finally(() => sends.delete(p));
    });
    await Promise.all(sends);
    const deadline = Date.now() + 10_000;
    while (sentAt.size > 0 && Date.now() < deadline) await sleep(20);
    return { ...summarize(latencies), sent, received: latencies.length };
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}

export interface PoisonSetup {
  /** The quote whose message is parked (not one of the pool's: no command touches it during the run). */
  quoteId: string;
  /** The parked message's reason, as projection_dead_letters holds it. */
  reason: string;
  /** Its dead letters in the live generation: the parked one and the one held behind it. */
  states: string[];
  /** What GET /api/worker reported: parked and held counts, and whether the quote is among the recent parked ones. */
  api: { parked: number; held: number; listed: boolean } | null;
  /** From the insert to the parked row being visible. */
  secondsToPark: number;
}

/**
 * A poison message for benchmark 4c: one quote whose event the projection refuses, written straight into the events
 * table (unpublished), so the relay publishes it like any other: QuoteStarted (version 1), then ContactDetailsCaptured
 * at version 3 — a gap, which the projector refuses (ProjectionGapError) and parks — and version 4, which is held
 * behind it. Every value is valid, so the relay encodes and sends them; only the projection refuses. Waits until
 * projection_dead_letters holds the parked and the held rows, and asks GET /api/worker too when a secret is given.
 */
export async function parkPoisonMessage(options: { pool: pg.Pool; schema: string; baseUrl: string; drainSecret?: string; timeoutMs?: number }): Promise<PoisonSetup> {
  const { pool, schema } = options;
  const quoteId = randomUUID();
  const occurredAt = new Date().toISOString();
  const base = { quoteId, occurredAt, correlationId: randomUUID(), causationId: null, actor: { kind: "customer" as const } };
  const contact = { details: { email: "poison@example.com", phoneNumber: "+1 415 555 0111" } };
  const events = [
    { ...base, eventId: randomUUID(), version: 1, type: "QuoteStarted", data: { quoteId } },
    { ...base, eventId: randomUUID(), version: 3, type: "ContactDetailsCaptured", data: contact },
    { ...base, eventId: randomUUID(), version: 4, type: "ContactDetailsCaptured", data: contact },
  ] as RecordedEvent[];
  const started = performance.now();
  await insertEvents(pool, events, { published: false });
  const letters = await waitFor(
    "poison message parked",
    async () => {
      const { rows } = await pool.query<{ state: string; error: string }>(`SELECT state, error FROM "${schema}".projection_dead_letters WHERE quote_id = $1 ORDER BY id`, [quoteId]);
      return rows.some((r) => r.state === "parked") && rows.some((r) => r.state === "held") ? rows : null;
    },
    options.timeoutMs ?? 60_000,
    100,
  );
  const secondsToPark = (performance.now() - started) / 1000;
  let api: PoisonSetup["api"] = null;
  if (options.drainSecret) {
    const res = await fetch(`${options.baseUrl}/api/worker`, { headers: { authorization: `Bearer ${options.drainSecret}` } });
    if (res.status !== 200) throw new Error(`GET /api/worker answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const status = (await res.json()) as { deadLetters?: { parked: number; held: number; recent: Array<{ quoteId: string }> } };
    const dl = status.deadLetters;
    if (!dl) throw new Error("GET /api/worker: no deadLetters in the answer");
    api = { parked: dl.parked, held: dl.held, listed: dl.recent.some((p) => p.quoteId === quoteId) };
    if (dl.parked < 1 || !api.listed) throw new Error(`GET /api/worker does not list the parked message of ${quoteId}: ${JSON.stringify(api)}`);
  }
  return { quoteId, reason: letters.find((r) => r.state === "parked")!.error, states: letters.map((r) => r.state), api, secondsToPark };
}
