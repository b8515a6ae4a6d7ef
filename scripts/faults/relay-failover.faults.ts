/**
 * Fault (f): two workers run the relay (`--only=relay`, beside one projector-and-scheduled worker) on the single
 * broker while customers run the wizard; the worker whose relay holds the relay lock is SIGKILLed, the other must
 * take over, and the killed one is started again once it has; several times. Afterwards:
 * - every acknowledged command's event reaches the read model once, at the version its answer gave (lost 0,
 *   duplicated 0), each quote's timeline being its stream version for version;
 * - the topic holds every event of those quotes exactly once per (quote, version), in version order per quote, and
 *   never two relays interleaved: in each partition, once a successor's producer has written, no earlier producer
 *   writes again;
 * - each takeover (kill → the other worker holds the lock and has published an event appended after the kill)
 *   took at most 15 s.
 * A relay killed after Kafka acknowledged a batch but before its mark committed leaves that batch unpublished in the
 * outbox; its successor finds those events on the topic when it takes over (lib/messaging/relay-reconcile.ts) and
 * marks them instead of sending them again. How many it found is reported (markedByReconcile), with the reconciles'
 * times; any event on the topic twice fails the scenario.
 */
import { randomUUID } from "node:crypto";
import { builtInRegistry } from "../../lib/messaging/avro/schema-registry";
import { relayLeaderOf } from "../../lib/worker/worker-status";
import { sleep } from "../../bench/support/stats";
import { startWorkerProcess, type WorkerProcess } from "../../bench/support/worker-process";
import { account, call, inParallel, liveTimeline, ok, PAGE_EVENT, PAGES, type Counts, type FaultEnvironment, type Page, type SentCommand } from "./harness";
import { readQuoteEventsToEnd, type Received } from "../../lib/messaging/testing/outbox";

export const name = "relay leader's worker SIGKILLed, the other relay takes over";

/** The longest a takeover may take. */
export const TAKEOVER_LIMIT_MS = 15_000;

interface RelayWorker {
  process: WorkerProcess;
  workerId: string;
  /** The reconciles this worker's relay logged (lib/messaging/relay-reconcile.ts): rows marked, and how long each took. */
  reconciles: Array<{ marked: number; ms: number }>;
}

/** A worker process running only `roles`, with the worker id it logged when it started. */
async function startRoleWorker(env: FaultEnvironment, roles: string): Promise<RelayWorker> {
  let workerId = "";
  const reconciles: RelayWorker["reconciles"] = [];
  const echo = (line: string) => {
    if (line.includes('"worker started"')) workerId = (JSON.parse(line) as { workerId: string }).workerId;
    if (line.includes("relay reconciled with the topic")) {
      const { marked, ms } = JSON.parse(line) as { marked: number; ms: number };
      reconciles.push({ marked, ms });
    }
  };
  const worker = await startWorkerProcess({ ...env.stack.env, PROJECTION_SESSION_TIMEOUT_MS: "6000" }, [`--only=${roles}`], { echo });
  return { process: worker, workerId, reconciles };
}

export async function run(env: FaultEnvironment, options: { quick: boolean; log: (line: string) => void }): Promise<Counts> {
  const { log, quick } = options;
  const kills = quick ? 3 : 5;
  const chains = quick ? 6 : 8;
  // Bounds only: the customers go on until the kills are over.
  const maxQuotes = quick ? 1_000 : 2_500;
  const pauseMs = 50;

  // The environment's worker (every role) makes way for two relay-only workers and one for the other roles.
  const began = Date.now();
  await env.worker().stop();
  const launched: Array<Promise<RelayWorker>> = [];
  /** Every worker started here, the killed ones too. */
  const everyWorker: RelayWorker[] = [];
  const launch = (roles: string) => {
    const started = startRoleWorker(env, roles);
    launched.push(started);
    started.then((worker) => everyWorker.push(worker), () => {});
    return started;
  };
  const relays: RelayWorker[] = [];
  const leaderNow = () => relayLeaderOf(env.db);
  const waitForLeader = async (among: () => RelayWorker[], limitMs: number) => {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const leader = await leaderNow();
      const found = among().find((r) => r.workerId === leader);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no relay worker of ${among().map((r) => r.workerId).join(", ")} took the relay lock within ${limitMs} ms (holder: ${leader})`);
      await sleep(100);
    }
  };
  try {
    const [first] = await Promise.all([launch("relay"), launch("projector,scheduled")]);
    relays.push(first);
    await waitForLeader(() => relays, 30_000);
    relays.push(await launch("relay"));
    await env.caughtUp(60_000);
    log(`  two relay workers and a projector-and-scheduled worker running after ${((Date.now() - began) / 1000).toFixed(1)} s`);

    // Customers: `chains` at once, each a quote at a time (start, three pages, submit), until the kills are over.
    const commands: SentCommand[] = [];
    const quoteIds: string[] = [];
    let stopTraffic = false;
    let started = 0;
    let conflicts = 0;
    const send = async (quoteId: string, method: string, pathname: string, token: string | undefined, body: unknown, eventType: string) => {
      const correlationId = randomUUID();
      let answer = await call(env.baseUrl, method, pathname, { body, token, headers: { "x-correlation-id": correlationId } });
      // A 409: the worker appended ApplicationNumberAssigned at the same moment; nothing was written: send again.
      for (let retry = 0; answer.status === 409 && retry < 5; retry++) {
        conflicts++;
        answer = await call(env.baseUrl, method, pathname, { body, token, headers: { "x-correlation-id": correlationId } });
      }
      const version = ok(answer) ? ((answer.body as { version?: number }).version ?? null) : null;
      commands.push({ correlationId, quoteId, acked: ok(answer), version, eventType });
      await sleep(pauseMs);
      return answer;
    };
    const traffic = inParallel(
      Array.from({ length: chains }, (_, i) => i),
      chains,
      async () => {
        while (!stopTraffic && started < maxQuotes) {
          const i = started++;
          const correlationId = randomUUID();
          const answer = await call(env.baseUrl, "POST", "/api/quotes", { headers: { "x-correlation-id": correlationId } });
          if (answer.status !== 201) {
            commands.push({ correlationId, quoteId: "", acked: false, version: null, eventType: "QuoteStarted" });
            await sleep(100);
            continue;
          }
          const { quoteId, accessToken, version } = answer.body as { quoteId: string; accessToken: string; version: number };
          quoteIds.push(quoteId);
          commands.push({ correlationId, quoteId, acked: true, version, eventType: "QuoteStarted" });
          for (const page of ["geographic", "contact", "family"] as Page[]) await send(quoteId, "PUT", `/api/quotes/${quoteId}/${page}-details`, accessToken, PAGES[page](i), PAGE_EVENT[page]);
          await send(quoteId, "POST", `/api/quotes/${quoteId}/submit`, accessToken, undefined, "QuoteSubmitted");
        }
      },
    );

    const takeovers: number[] = [];
    const leaderTakeovers: number[] = [];
    const newestPosition = async () => (await env.pool.query<{ position: string }>("SELECT coalesce(max(position), 0)::text AS position FROM events")).rows[0]!.position;
    const publishedAfter = async (position: string) => (await env.pool.query<{ any: boolean }>("SELECT (SELECT count(*) FROM events WHERE position > $1::bigint) > (SELECT count(*) FROM unpublished_events WHERE position > $1::bigint) AS any", [position])).rows[0]!.any;
    let restarting: Promise<RelayWorker> | null = null;
    try {
      for (let k = 0; k < kills; k++) {
        // The killed worker's replacement starts meanwhile: two relays again before the next kill.
        await Promise.all([sleep(1_500 + Math.floor(Math.random() * 1_500)), restarting?.then((worker) => relays.push(worker))]);
        if (started >= maxQuotes) throw new Error(`the customers' ${maxQuotes} quotes were over before kill ${k + 1}`);
        const leader = await waitForLeader(() => relays, TAKEOVER_LIMIT_MS);
        const survivor = relays.find((r) => r !== leader)!;
        process.kill(leader.process.pid, "SIGKILL");
        const killedAt = Date.now();
        // Rows appended from now on can only be published by the survivor.
        const mark = await newestPosition();
        await leader.process.exited;
        let leadsMs = -1;
        let publishesMs = -1;
        while (Date.now() - killedAt < TAKEOVER_LIMIT_MS * 2 && (leadsMs < 0 || publishesMs < 0)) {
          if (leadsMs < 0 && (await leaderNow()) === survivor.workerId) leadsMs = Date.now() - killedAt;
          if (publishesMs < 0 && (await publishedAfter(mark))) publishesMs = Date.now() - killedAt;
          await sleep(50);
        }
        const takeoverMs = leadsMs < 0 || publishesMs < 0 ? -1 : Math.max(leadsMs, publishesMs);
        takeovers.push(takeoverMs);
        leaderTakeovers.push(leadsMs);
        log(`  kill ${k + 1}: SIGKILL worker ${leader.workerId.slice(0, 8)} (pid ${leader.process.pid}); worker ${survivor.workerId.slice(0, 8)} held the lock after ${leadsMs} ms and published after ${publishesMs} ms`);
        if (takeoverMs < 0) throw new Error(`worker ${survivor.workerId} did not take over within ${TAKEOVER_LIMIT_MS * 2} ms of kill ${k + 1}`);
        relays.splice(relays.indexOf(leader), 1);
        restarting = launch("relay");
      }
      if (restarting) relays.push(await restarting);
    } finally {
      stopTraffic = true;
      await traffic;
    }
    log(`  ${takeovers.length} takeovers; ${commands.length} commands sent on ${quoteIds.length} quotes`);

    const t = Date.now();
    await env.caughtUp(quick ? 120_000 : 180_000);
    log(`  caught up ${((Date.now() - t) / 1000).toFixed(1)} s after the last command`);

    // Starting a quote also queues the application-number request, whose event carries the start's correlation id:
    // the starts are checked with the rest of each stream below, not counted as commands here.
    const counts = await account(env, commands.filter((c) => c.eventType !== "QuoteStarted"));
    const startsAcknowledged = commands.filter((c) => c.eventType === "QuoteStarted" && c.acked).length;
    // Every event of these quotes (the customers' and the worker's application numbers), as the event store has them.
    const { rows: stored } = await env.pool.query<{ stream_id: string; version: number; type: string; event_id: string }>(
      "SELECT stream_id, version, type, event_id::text FROM events WHERE stream_id = ANY($1::uuid[]) ORDER BY stream_id, version",
      [quoteIds],
    );
    const timeline = await liveTimeline(env.pool, await env.liveSchema(), quoteIds);
    const streams = new Map<string, typeof stored>();
    for (const row of stored) streams.set(row.stream_id, [...(streams.get(row.stream_id) ?? []), row]);
    let outOfOrder = 0;
    for (const [quoteId, stream] of streams) {
      const projected = timeline.byQuote.get(quoteId) ?? new Map<number, string>();
      if (projected.size !== stream.length || stream.some((e) => projected.get(e.version) !== e.type)) outOfOrder++;
    }

    const records = await readQuoteEventsToEnd(env.kafka, builtInRegistry(), new Set(quoteIds));
    // Exactly once: one record per (quote, version), and it is the stored event.
    const copies = new Map<string, Received[]>();
    for (const r of records) copies.set(`${r.quoteId}/${r.version}`, [...(copies.get(`${r.quoteId}/${r.version}`) ?? []), r]);
    const missingOnTopic = stored.filter((e) => !copies.get(`${e.stream_id}/${e.version}`)?.some((r) => r.eventId === e.event_id)).length;
    let kafkaDuplicates = 0;
    for (const same of copies.values()) kafkaDuplicates += same.length - 1;
    const storedIds = new Set(stored.map((e) => e.event_id));
    const notStored = records.filter((r) => !storedIds.has(r.eventId)).length;
    // Per quote, first deliveries in version order without a gap.
    let kafkaOutOfOrder = 0;
    const seen = new Map<string, number>();
    for (const r of records) {
      const highest = seen.get(r.quoteId) ?? 0;
      if (r.version > highest + 1) kafkaOutOfOrder++;
      seen.set(r.quoteId, Math.max(highest, r.version));
    }
    // One relay at a time: in each partition, a producer that has been followed by another never writes again.
    let interleaved = 0;
    const finished = new Map<number, Set<string>>();
    const current = new Map<number, string>();
    for (const r of records) {
      const done = finished.get(r.partition) ?? new Set<string>();
      const now = current.get(r.partition);
      if (now !== r.producerId) {
        if (done.has(r.producerId)) interleaved++;
        if (now) done.add(now);
        current.set(r.partition, r.producerId);
        finished.set(r.partition, done);
      }
    }
    const producers = new Set(records.map((r) => r.producerId)).size;
    const reconciles = everyWorker.flatMap((r) => r.reconciles);

    return {
      ...counts,
      startsAcknowledged,
      kills: takeovers.length,
      takeoverMs: takeovers.join(" / "),
      maxTakeoverMs: Math.max(...takeovers),
      lockTakenMs: leaderTakeovers.join(" / "),
      producers,
      eventsOfTheseQuotes: stored.length,
      missingOnTopic,
      kafkaDuplicates,
      notStoredOnTopic: notStored,
      markedByReconcile: reconciles.reduce((sum, r) => sum + r.marked, 0),
      reconcilesMarking: reconciles.filter((r) => r.marked > 0).length,
      maxReconcileMs: Math.max(0, ...reconciles.map((r) => r.ms)),
      interleavedProducers: interleaved,
      outOfOrder,
      kafkaOutOfOrder,
      conflictsRetried: conflicts,
      workerFailedRounds: relays.reduce((sum, r) => sum + r.process.failedRounds(), 0),
    };
  } finally {
    const workers = await Promise.allSettled(launched);
    await Promise.all(workers.map((w) => (w.status === "fulfilled" ? w.value.process.stop() : null)));
    await env.startWorker();
  }
}

/** Beyond lost and duplicated, what this scenario requires. */
export const alsoRequire = (c: Counts) => {
  const problems: string[] = [];
  if (typeof c.maxTakeoverMs !== "number" || c.maxTakeoverMs < 0 || c.maxTakeoverMs > TAKEOVER_LIMIT_MS) problems.push(`a takeover took longer than ${TAKEOVER_LIMIT_MS} ms (${c.takeoverMs})`);
  if (c.missingOnTopic !== 0) problems.push(`${c.missingOnTopic} events never reached the topic`);
  if (c.interleavedProducers !== 0) problems.push(`${c.interleavedProducers} times a relay wrote after its successor had (two relays at once)`);
  if (c.kafkaDuplicates !== 0) problems.push(`${c.kafkaDuplicates} records on the topic repeat a (quote, version) already there: not exactly once`);
  if (c.notStoredOnTopic !== 0) problems.push(`${c.notStoredOnTopic} records on the topic are no stored event`);
  if (c.outOfOrder !== 0 || c.kafkaOutOfOrder !== 0) problems.push("read model and Kafka in order per quote");
  return problems.length ? problems.join("; ") : null;
};
