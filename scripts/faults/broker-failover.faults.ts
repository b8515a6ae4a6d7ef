/**
 * Fault (e), on a three-node Kafka cluster (replication factor 3, min.insync.replicas 2, the relay's acks=all):
 *
 * 1. The node leading the most partitions of quote-events is SIGKILLed while customers send commands, and started
 *    again later. With two nodes left the cluster elects new leaders and keeps taking writes: the relay must go on
 *    publishing and the projector projecting while the node is down, and every acknowledged command must reach the
 *    read model at the version its response gave, in order per quote, with Kafka's copy in order too.
 * 2. With one node down, a second is killed. One node cannot satisfy min.insync.replicas 2 (nor keep a controller
 *    quorum), so nothing may be published: commands are still taken (they only need PostgreSQL) or refused with a
 *    clean 503 problem+json (never left unanswered), and their events wait in the outbox until the nodes return, then
 *    reach the read model.
 *
 * Over both phases, whatever a command stored, acknowledged or not, must reach the read model once: lost 0,
 * duplicated 0. Kafka may hold a message twice (a resend after a failed send), never out of order or with a gap.
 */
import { randomUUID } from "node:crypto";
import { quoteEventsDlqTopic, quoteEventsTopic } from "../../lib/messaging/topics";
import { sleep } from "../../bench/support/stats";
import { busiestLeader, partitionPlacement, waitForInSyncReplicas, type KafkaClusterNode } from "../kafka/cluster";
import { isClusterEnvironment } from "./cluster-environment";
import { account, call, inParallel, liveTimeline, ok, PAGE_EVENT, PAGES, startQuote, storedByCorrelation, type ApiAnswer, type Counts, type FaultEnvironment, type Page, type StartedQuote, type SentCommand } from "./harness";
import { topicVersions } from "./kafka-broker-kill.faults";

export const name = "Kafka cluster: partition leader killed, then two of three nodes";
/** Runs in the three-node cluster environment (cluster-environment.ts), not the single broker's. */
export const environment = "kafka-cluster";

type Stage = "all up" | "one down" | "two down" | "returning";

interface Sent extends SentCommand {
  page: Page;
  marker: number;
  ackedAt: number;
  /** Milliseconds since the scenario began, when the command was sent and when its answer came. */
  sentAt: number;
  answeredAt: number;
  /** The cluster's state when the answer came. */
  stage: Stage;
  answer: Pick<ApiAnswer, "status" | "contentType" | "text" | "ms" | "failure" | "body">;
}

function isProblem503(answer: Sent["answer"]): boolean {
  const body = answer.body as { status?: unknown; title?: unknown } | null;
  return answer.status === 503 && answer.contentType.startsWith("application/problem+json") && body !== null && body.status === 503 && typeof body.title === "string" && !/\n\s+at\s|node_modules|kafkajs|ECONNREFUSED/i.test(answer.text);
}

/**
 * Commands, one chain per quote (each waits for the previous answer), all quotes at once, until `total` are sent or
 * `stop()` is called; with `pauseMs`, each chain waits that long between commands.
 */
function startTraffic(env: FaultEnvironment, quotes: StartedQuote[], options: { total: number; firstMarker: number; pauseMs?: number; stage: () => Stage; clock: () => number }, sent: Sent[]) {
  const { total, firstMarker, stage, clock } = options;
  let next = 0;
  let acked = 0;
  let conflicts = 0;
  let stopped = false;
  const pages: Page[] = ["geographic", "contact", "family"];
  const done = inParallel(quotes, quotes.length, async (quote) => {
    while (next < total && !stopped) {
      const n = firstMarker + next++;
      const page = pages[n % 3]!;
      const correlationId = randomUUID();
      const sentAt = clock();
      const send = () => call(env.baseUrl, "PUT", `/api/quotes/${quote.quoteId}/${page}-details`, { body: PAGES[page](n), token: quote.token, headers: { "x-correlation-id": correlationId } });
      let answer = await send();
      // A 409 means the worker appended ApplicationNumberAssigned at the same moment; nothing was written: send again.
      for (let retry = 0; answer.status === 409 && retry < 5; retry++) {
        conflicts++;
        answer = await send();
      }
      const accepted = ok(answer);
      if (accepted) acked++;
      sent.push({ correlationId, quoteId: quote.quoteId, page, marker: n, acked: accepted, version: accepted ? ((answer.body as { version?: number }).version ?? null) : null, eventType: PAGE_EVENT[page], ackedAt: performance.now(), sentAt, answeredAt: clock(), stage: stage(), answer });
      if (!accepted) await sleep(100); // a customer trying again, not a tight loop
      if (options.pauseMs) await sleep(options.pauseMs);
    }
  });
  return {
    done,
    acked: () => acked,
    sentCount: () => next,
    conflicts: () => conflicts,
    stop: () => void (stopped = true),
  };
}

/** Polls `check` until it is true; the milliseconds that took, or -1 after `limitMs`. */
async function timeUntil(check: () => Promise<boolean>, limitMs: number, everyMs = 250): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      if (await check()) return Date.now() - started;
    } catch {
      /* a node is down: metadata or a query may fail for a moment */
    }
    if (Date.now() - started > limitMs) return -1;
    await sleep(everyMs);
  }
}

export async function run(env: FaultEnvironment, options: { quick: boolean; log: (line: string) => void }): Promise<Counts> {
  if (!isClusterEnvironment(env)) throw new Error("broker-failover needs the Kafka cluster environment (scripts/faults/cluster-environment.ts)");
  const { log, quick } = options;
  const { cluster } = env;
  const phase1Total = quick ? 400 : 1_000;
  const quoteCount = quick ? 40 : 100;
  // Phase 2 sends at a steady pace through both kills and the return, from a few quotes, at most this many.
  const phase2Chains = quick ? 6 : 10;
  const phase2PauseMs = quick ? 1_000 : 750;
  const phase2Cap = quick ? 600 : 1_500;
  const topics = [quoteEventsTopic(), quoteEventsDlqTopic()];

  const quotes: StartedQuote[] = [];
  for (let i = 0; i < quoteCount; i++) quotes.push(await startQuote(env.baseUrl));
  await env.caughtUp(60_000);

  const failedRoundsBefore = env.worker().failedRounds();
  const sent: Sent[] = [];
  let stage: Stage = "all up";
  const getStage = () => stage;
  const began = Date.now();
  const clock = () => Date.now() - began;
  const aliveBrokers = () => cluster.nodes.filter((n) => n.running()).map((n) => n.broker).join(",");
  const leaderOfMost = async (): Promise<{ node: KafkaClusterNode; partitions: number }> => {
    const busiest = busiestLeader(await partitionPlacement(aliveBrokers(), [quoteEventsTopic()]), quoteEventsTopic());
    return { node: cluster.node(busiest.nodeId), partitions: busiest.partitions };
  };
  /** The newest position in the event store (rows above it are appended later) and the database's clock. */
  const mark = async () => (await env.pool.query<{ position: string; at: Date }>("SELECT coalesce(max(position), 0)::text AS position, now() AS at FROM events")).rows[0]!;
  const publishedAbove = async (position: string) =>
    Number((await env.pool.query<{ n: string }>("SELECT ((SELECT count(*) FROM events WHERE position > $1::bigint) - (SELECT count(*) FROM unpublished_events WHERE position > $1::bigint))::text AS n", [position])).rows[0]!.n);
  const projectedMessages = async () => (await env.status()).projection.partitions.reduce((sum, p) => sum + (p.appliedPosition === null ? 0 : Number(p.appliedPosition) + 1), 0);
  const leadersAvoid = (dead: KafkaClusterNode[]) => async () => {
    const placement = await partitionPlacement(aliveBrokers(), [quoteEventsTopic()]);
    return placement.length > 0 && placement.every((p) => p.leader >= 0 && !dead.some((d) => d.nodeId === p.leader));
  };

  // ---- Phase 1: the busiest leader dies under load, and comes back ---------------------------------------------
  const first = await leaderOfMost();
  log(`  node ${first.node.nodeId} leads ${first.partitions} of the partitions of ${quoteEventsTopic()}; pids ${JSON.stringify(cluster.pids())}`);
  const traffic1 = startTraffic(env, quotes, { total: phase1Total, firstMarker: 0, stage: getStage, clock }, sent);
  while (traffic1.acked() < phase1Total * 0.25 && traffic1.sentCount() < phase1Total) await sleep(20);
  const projectedBefore1 = await projectedMessages();
  const kill1 = await mark();
  log(`  SIGKILL node ${first.node.nodeId} (pid ${first.node.pid()}) after ${traffic1.acked()} acknowledged commands`);
  const killedAt1 = Date.now();
  await first.node.kill();
  stage = "one down";
  const [leadersMovedMs, relayResumedMs] = await Promise.all([
    timeUntil(leadersAvoid([first.node]), 60_000),
    timeUntil(async () => (await publishedAbove(kill1.position)) > 0, 60_000),
  ]);
  log(`  leaders moved off node ${first.node.nodeId} ${leadersMovedMs} ms after the kill; relay published again after ${relayResumedMs} ms`);
  // Down until 60% are in, the projector has shown it works without the node, and the relay has published for 5 s
  // (each bounded).
  const resumedAt = Date.now();
  const projectedResumedMs = await timeUntil(async () => (await projectedMessages()) > projectedBefore1, 60_000);
  while ((traffic1.acked() < phase1Total * 0.6 && traffic1.sentCount() < phase1Total) || Date.now() - resumedAt < 5_000) await sleep(50);
  const publishedWhileOneDown = await publishedAbove(kill1.position);
  const projectedWhileOneDown = (await projectedMessages()) - projectedBefore1;
  const ackedWhileOneDown = sent.filter((s) => s.acked && s.stage === "one down").length;
  const downFor1 = (Date.now() - killedAt1) / 1000;
  log(`  starting node ${first.node.nodeId} again after ${downFor1.toFixed(1)} s down (${ackedWhileOneDown} acknowledged, ${publishedWhileOneDown} published, ${projectedWhileOneDown} projected meanwhile)`);
  let t1 = Date.now();
  await first.node.start();
  stage = "all up";
  const rejoinMs = Date.now() - t1;
  log(`  node ${first.node.nodeId} (pid ${first.node.pid()}) serving again after ${rejoinMs} ms`);
  await traffic1.done;
  t1 = Date.now();
  await env.caughtUp(quick ? 120_000 : 180_000);
  log(`  worker caught up ${((Date.now() - t1) / 1000).toFixed(1)} s after the last command of phase 1`);
  t1 = Date.now();
  await waitForInSyncReplicas(cluster.brokers, topics, 120_000);
  const isrRestoredMs = Date.now() - t1;
  log(`  every replica back in sync ${isrRestoredMs} ms later`);

  // ---- Phase 2: one node down, then a second: one left ------------------------------------------------------------
  const second = await leaderOfMost();
  const traffic2 = startTraffic(env, quotes.slice(0, phase2Chains), { total: phase2Cap, firstMarker: phase1Total, pauseMs: phase2PauseMs, stage: getStage, clock }, sent);
  await sleep(3_000);
  const kill2 = await mark();
  log(`  SIGKILL node ${second.node.nodeId} (pid ${second.node.pid()}, leads ${second.partitions} partitions) at +${(clock() / 1000).toFixed(1)} s`);
  const killedAt2 = Date.now();
  await second.node.kill();
  stage = "one down";
  // Still two nodes: wait until the relay publishes again before taking the second away (bounded).
  const relayResumedMs2 = await timeUntil(async () => (await publishedAbove(kill2.position)) > 0, 30_000);
  while (Date.now() - killedAt2 < 3_000) await sleep(50);
  const third = await leaderOfMost().catch(() => null);
  const survivors = cluster.nodes.filter((n) => n.running());
  const victim = third && third.node.running() ? third.node : survivors[0]!;
  log(`  relay published again ${relayResumedMs2} ms after; SIGKILL node ${victim.nodeId} (pid ${victim.pid()}) as well at +${(clock() / 1000).toFixed(1)} s: one node left`);
  await victim.kill();
  stage = "two down";
  const lastAlone = await mark();
  const aloneAt = Date.now();
  await sleep(quick ? 8_000 : 12_000);
  const outboxWithOneNode = Number((await env.pool.query<{ n: string }>("SELECT count(*)::text AS n FROM unpublished_events")).rows[0]!.n);
  const publishedWithOneNode = await publishedAbove(lastAlone.position);
  const ackedAlone = sent.filter((s) => s.acked && s.stage === "two down").length;
  log(`  ${((Date.now() - aloneAt) / 1000).toFixed(1)} s with one node: ${ackedAlone} commands acknowledged, ${outboxWithOneNode} events waiting in the outbox, ${publishedWithOneNode} published`);
  let t = Date.now();
  stage = "returning";
  await Promise.all([second.node.start(), victim.start()]);
  stage = "all up";
  const returnMs = Date.now() - t;
  log(`  nodes ${second.node.nodeId} and ${victim.nodeId} serving again after ${returnMs} ms (pids ${JSON.stringify(cluster.pids())}) at +${(clock() / 1000).toFixed(1)} s`);
  await sleep(3_000);
  traffic2.stop();
  await traffic2.done;
  t = Date.now();
  await env.caughtUp(quick ? 180_000 : 240_000);
  const caughtUpAfterReturnMs = Date.now() - t;
  log(`  worker caught up ${(caughtUpAfterReturnMs / 1000).toFixed(1)} s after the last command of phase 2`);
  await waitForInSyncReplicas(cluster.brokers, topics, 120_000);

  const warnings = new Map<string, number>();
  for (const w of env.worker().warnings) warnings.set(w.slice(0, 200), (warnings.get(w.slice(0, 200)) ?? 0) + 1);
  for (const [w, n] of [...warnings].slice(0, 8)) log(`  worker ×${n}: ${w}`);

  // ---- Accounting ----------------------------------------------------------------------------------------------
  const refused = sent.filter((s) => !s.acked);
  const proper503 = refused.filter((s) => isProblem503(s.answer));
  const improper = refused.filter((s) => !isProblem503(s.answer));
  // No answer within 10 s: a failure while one node was left (the app must not notice Kafka then); otherwise only
  // counted, as in the other scenarios (a burst of 100 commands on a busy 2-core machine can take that long).
  const oneNodeLeft = (s: Sent) => s.stage === "two down" || s.stage === "returning";
  const timeouts = improper.filter((s) => s.answer.failure === "timeout");
  const groups = new Map<string, Sent[]>();
  for (const s of improper) {
    const key = `${s.stage} ${s.answer.status || s.answer.failure}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const group of groups.values()) {
    const s = group[0]!;
    const sentTimes = group.map((g) => g.sentAt / 1000);
    log(`  NOT acknowledged and NOT a 503 problem+json ×${group.length} (answered ${s.stage}, sent between +${Math.min(...sentTimes).toFixed(1)} and +${Math.max(...sentTimes).toFixed(1)} s): ${s.answer.status || s.answer.failure}, "${s.answer.contentType}", ${Math.round(s.answer.ms)} ms: ${s.answer.text.slice(0, 300).replace(/\s+/g, " ")}`);
  }
  const counts = await account(env, sent);
  // Never lost, acknowledged or not: whatever a command committed must reach the read model as well.
  const notAcked = sent.filter((c) => !c.acked);
  const stored = await storedByCorrelation(env.pool, notAcked.map((c) => c.correlationId));
  const liveTimelineRows = await liveTimeline(env.pool, await env.liveSchema(), [...new Set(notAcked.map((c) => c.quoteId))]);
  let committedNotProjected = 0;
  for (const events of stored.values()) for (const e of events) if (liveTimelineRows.byQuote.get(e.quoteId)?.get(e.version) !== e.type) committedNotProjected++;

  // In order per quote, with the event store as the reference (a command whose answer timed out may have been stored
  // after the next command of its chain, so the order of answers is not the order of the stream):
  // - acknowledged versions rise in the order the answers came;
  // - the read model's timeline is the stream, version for version, and its page values are those of the stream's
  //   last event of each page;
  // - Kafka (below) has every version of the stream, first deliveries in order, no gap.
  const schema = await env.liveSchema();
  const quoteIds = quotes.map((q) => q.quoteId);
  const bySentCorrelation = new Map(sent.map((c) => [c.correlationId, c]));
  const { rows: streamRows } = await env.pool.query<{ stream_id: string; version: number; type: string; correlation_id: string }>(
    "SELECT stream_id, version, type, correlation_id FROM events WHERE stream_id = ANY($1::uuid[]) ORDER BY stream_id, version",
    [quoteIds],
  );
  const streams = new Map<string, typeof streamRows>();
  for (const row of streamRows) streams.set(row.stream_id, [...(streams.get(row.stream_id) ?? []), row]);
  const timeline = await liveTimeline(env.pool, schema, quoteIds);
  const { rows } = await env.pool.query<{ quote_id: string; geographic_details: { city: string } | null; contact_details: { email: string } | null; family_details: { numberOfDependents: number } | null }>(
    `SELECT quote_id, geographic_details, contact_details, family_details FROM "${schema}".quote_details WHERE quote_id = ANY($1::uuid[])`,
    [quoteIds],
  );
  const details = new Map(rows.map((r) => [r.quote_id, r]));
  let outOfOrder = 0;
  for (const quote of quotes) {
    const acked = sent.filter((s) => s.quoteId === quote.quoteId && s.acked).sort((a, b) => a.ackedAt - b.ackedAt);
    const versions = acked.map((s) => s.version!);
    const stream = streams.get(quote.quoteId) ?? [];
    const projected = timeline.byQuote.get(quote.quoteId) ?? new Map<number, string>();
    const lastOf = (page: Page) => [...stream].reverse().map((e) => bySentCorrelation.get(e.correlation_id)).find((c) => c?.page === page);
    const row = details.get(quote.quoteId);
    const geographic = lastOf("geographic");
    const contact = lastOf("contact");
    const family = lastOf("family");
    if (
      versions.some((v, i) => i > 0 && v <= versions[i - 1]!) ||
      projected.size !== stream.length ||
      stream.some((e) => projected.get(e.version) !== e.type) ||
      (geographic && row?.geographic_details?.city !== PAGES.geographic(geographic.marker).city) ||
      (contact && row?.contact_details?.email !== PAGES.contact(contact.marker).email) ||
      (family && row?.family_details?.numberOfDependents !== PAGES.family(family.marker).numberOfDependents)
    ) {
      outOfOrder++;
    }
  }
  const topic = await topicVersions(env, new Set(quotes.map((q) => q.quoteId)));
  if (counts.lost > 0) {
    const schemaTimeline = await env.pool.query<{ quote_id: string; version: number }>(`SELECT quote_id, version FROM "${schema}".quote_timeline WHERE quote_id = ANY($1::uuid[])`, [quotes.map((q) => q.quoteId)]);
    const projected = new Set(schemaTimeline.rows.map((r) => `${r.quote_id}/${r.version}`));
    const lost = sent.filter((c) => c.acked && !projected.has(`${c.quoteId}/${c.version}`));
    const inKafka = lost.filter((c) => topic.get(c.quoteId)?.includes(c.version!)).length;
    const byStage = [...new Set(lost.map((c) => c.stage))].map((st) => `${lost.filter((c) => c.stage === st).length} answered ${st}`).join(", ");
    log(`  lost: ${byStage}; ${lost.length - inKafka} of them never reached Kafka (the others are held behind a gap of their quote)`);
  }
  let kafkaOutOfOrder = 0;
  let kafkaRedeliveries = 0;
  for (const quote of quotes) {
    const versions = topic.get(quote.quoteId) ?? [];
    let highest = 0;
    for (const v of versions) {
      if (v <= highest) kafkaRedeliveries++;
      else if (v !== highest + 1) kafkaOutOfOrder++;
      highest = Math.max(highest, v);
    }
    if (highest !== (streams.get(quote.quoteId) ?? []).length) kafkaOutOfOrder++;
  }

  return {
    ...counts,
    leadersMovedMs,
    relayResumedMs,
    projectedResumedMs,
    ackedWhileOneDown,
    publishedWhileOneDown,
    projectedWhileOneDown,
    rejoinMs,
    isrRestoredMs,
    ackedWithOneNode: ackedAlone,
    returnMs,
    outboxWithOneNode,
    publishedWithOneNode,
    refused503ProblemJson: proper503.length,
    answeredOtherwise: improper.length - timeouts.length,
    timeoutsWithOneNode: timeouts.filter(oneNodeLeft).length,
    timeoutsOtherwise: timeouts.filter((s) => !oneNodeLeft(s)).length,
    committedNotProjected,
    caughtUpAfterReturnMs,
    conflictsRetried: traffic1.conflicts() + traffic2.conflicts(),
    // Sends kafkajs called successful although a partition was left out, caught by lib/messaging/kafka-client.ts.
    incompleteSendsCaught: env.worker().warnings.filter((w) => w.includes("IncompleteSendError") || w.includes("acknowledged the send without")).length,
    workerFailedRounds: env.worker().failedRounds() - failedRoundsBefore,
    outOfOrder,
    kafkaOutOfOrder,
    kafkaRedeliveries,
  };
}

/** Beyond lost and duplicated, what this scenario requires. */
export const alsoRequire = (c: Counts) => {
  const problems: string[] = [];
  if (c.outOfOrder !== 0 || c.kafkaOutOfOrder !== 0) problems.push("read model and Kafka in order per quote");
  if (c.leadersMovedMs === -1) problems.push("leadership did not move off the killed node within 60 s");
  if (c.relayResumedMs === -1 || c.publishedWhileOneDown === 0) problems.push("the relay did not publish with one node down");
  if (c.projectedResumedMs === -1 || c.projectedWhileOneDown === 0) problems.push("the projector did not project with one node down");
  if (c.publishedWithOneNode !== 0) problems.push(`${c.publishedWithOneNode} events were published with one node left (min.insync.replicas 2 must refuse them)`);
  if (c.ackedWithOneNode === 0 && c.refused503ProblemJson === 0) problems.push("no command was answered while one node was left");
  if (c.answeredOtherwise !== 0) problems.push(`${c.answeredOtherwise} commands were refused other than with 503 problem+json`);
  if (c.timeoutsWithOneNode !== 0) problems.push(`${c.timeoutsWithOneNode} commands got no answer within 10 s while one node was left`);
  if (c.committedNotProjected !== 0) problems.push(`${c.committedNotProjected} events of commands that were not acknowledged were stored but not projected`);
  return problems.length ? problems.join("; ") : null;
};
