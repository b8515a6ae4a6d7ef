/**
 * Fault (a): the Kafka broker is SIGKILLed while customers send commands, and started again later on the same data.
 * Commands only need PostgreSQL, so they keep being acknowledged; the outbox holds their events until the broker is
 * back. Then every acknowledged command must reach the read model, at the version its response gave, in order per
 * quote (each quote's final state is its last acknowledged command's), and Kafka's copy of each quote's stream must
 * be in order too (redeliveries allowed, gaps and reordering not).
 */
import { randomUUID } from "node:crypto";
import { builtInRegistry } from "../../lib/messaging/avro/schema-registry";
import { readQuoteEventsToEnd, versionsByQuote } from "../../lib/messaging/testing/outbox";
import { sleep } from "../../bench/support/stats";
import { account, call, inParallel, ok, PAGE_EVENT, PAGES, startQuote, type Counts, type FaultEnvironment, type Page, type StartedQuote, type SentCommand } from "./harness";

export const name = "kafka broker killed during commands";

interface Sent extends SentCommand {
  page: Page;
  marker: number;
  ackedAt: number;
}

/** Reads quote-events from the start to its current end; per quote, the versions in partition order. */
export async function topicVersions(env: FaultEnvironment, quoteIds: Set<string>): Promise<Map<string, number[]>> {
  return versionsByQuote(await readQuoteEventsToEnd(env.kafka, builtInRegistry(), quoteIds));
}

export async function run(env: FaultEnvironment, options: { quick: boolean; log: (line: string) => void }): Promise<Counts> {
  const { log } = options;
  const total = options.quick ? 400 : 1_000;
  const quoteCount = options.quick ? 40 : 100;
  const quotes: StartedQuote[] = [];
  for (let i = 0; i < quoteCount; i++) quotes.push(await startQuote(env.baseUrl));
  await env.caughtUp(60_000);

  const sent: Sent[] = [];
  let acked = 0;
  let conflicts = 0;
  let next = 0;
  const refusals = new Map<string, number>();
  const pages: Page[] = ["geographic", "contact", "family"];
  // One chain of commands per quote, all quotes at once: per quote, each command waits for the previous answer.
  const traffic = inParallel(quotes, quotes.length, async (quote) => {
    while (next < total) {
      const n = next++;
      const page = pages[n % 3]!;
      const correlationId = randomUUID();
      let answer = await call(env.baseUrl, "PUT", `/api/quotes/${quote.quoteId}/${page}-details`, { body: PAGES[page](n), token: quote.token, headers: { "x-correlation-id": correlationId } });
      // A 409 means the worker appended ApplicationNumberAssigned at the same moment; nothing was written: send again.
      for (let retry = 0; answer.status === 409 && retry < 5; retry++) {
        conflicts++;
        answer = await call(env.baseUrl, "PUT", `/api/quotes/${quote.quoteId}/${page}-details`, { body: PAGES[page](n), token: quote.token, headers: { "x-correlation-id": correlationId } });
      }
      const version = ok(answer) ? ((answer.body as { version?: number }).version ?? null) : null;
      if (ok(answer)) acked++;
      else {
        const why = `${answer.status || answer.failure} ${answer.status ? answer.text.slice(0, 160).replace(/\s+/g, " ") : `after ${Math.round(answer.ms)} ms`}`;
        refusals.set(why, (refusals.get(why) ?? 0) + 1);
      }
      sent.push({ correlationId, quoteId: quote.quoteId, page, marker: n, acked: ok(answer), version, eventType: PAGE_EVENT[page], ackedAt: performance.now() });
    }
  });

  // Kill at a quarter of the commands; start again once 60% are in and it has been down at least 5 s.
  while (acked < total * 0.25 && next < total) await sleep(20);
  const killedAt = Date.now();
  const ackedAtKill = acked;
  log(`  SIGKILL broker pid ${env.broker.pid()} after ${acked} acknowledged commands`);
  await env.broker.kill();
  while ((acked < total * 0.6 && next < total) || Date.now() - killedAt < 5_000) await sleep(50);
  const ackedWhileDown = acked;
  log(`  starting the broker again (${((Date.now() - killedAt) / 1000).toFixed(1)} s down, ${acked} acknowledged so far)`);
  await env.broker.start();
  log(`  broker pid ${env.broker.pid()} up after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);
  await traffic;

  const caughtUp = Date.now();
  await env.caughtUp(options.quick ? 120_000 : 180_000);
  log(`  worker caught up ${((Date.now() - caughtUp) / 1000).toFixed(1)} s after the last command`);

  for (const [why, n] of refusals) log(`  not acknowledged ×${n}: ${why}`);
  const counts = await account(env, sent);
  // In order per quote: the read model's final page values are those of each quote's last acknowledged command
  // of that page, and the timeline has the acknowledged commands' types in acknowledgement order.
  const schema = await env.liveSchema();
  const { rows } = await env.pool.query<{ quote_id: string; geographic_details: { city: string } | null; contact_details: { email: string } | null; family_details: { numberOfDependents: number } | null }>(
    `SELECT quote_id, geographic_details, contact_details, family_details FROM "${schema}".quote_details WHERE quote_id = ANY($1::uuid[])`,
    [quotes.map((q) => q.quoteId)],
  );
  const details = new Map(rows.map((r) => [r.quote_id, r]));
  let outOfOrder = 0;
  for (const quote of quotes) {
    const mine = sent.filter((s) => s.quoteId === quote.quoteId && s.acked).sort((a, b) => a.ackedAt - b.ackedAt);
    const versions = mine.map((s) => s.version!);
    if (versions.some((v, i) => i > 0 && v <= versions[i - 1]!)) outOfOrder++;
    const row = details.get(quote.quoteId);
    const last = (page: Page) => [...mine].reverse().find((s) => s.page === page);
    const expectCity = last("geographic") && PAGES.geographic(last("geographic")!.marker).city;
    const expectEmail = last("contact") && PAGES.contact(last("contact")!.marker).email;
    const expectDependents = last("family") && PAGES.family(last("family")!.marker).numberOfDependents;
    if (expectCity !== undefined && row?.geographic_details?.city !== expectCity) outOfOrder++;
    else if (expectEmail !== undefined && row?.contact_details?.email !== expectEmail) outOfOrder++;
    else if (expectDependents !== undefined && row?.family_details?.numberOfDependents !== expectDependents) outOfOrder++;
  }
  // Kafka's copy: per quote, first deliveries in increasing version order, no gaps (a redelivery may repeat).
  const topic = await topicVersions(env, new Set(quotes.map((q) => q.quoteId)));
  let kafkaOutOfOrder = 0;
  let kafkaRedeliveries = 0;
  for (const versions of topic.values()) {
    let highest = 0;
    for (const v of versions) {
      if (v <= highest) kafkaRedeliveries++;
      else if (v !== highest + 1) kafkaOutOfOrder++;
      highest = Math.max(highest, v);
    }
  }
  return { ...counts, ackedWhileBrokerDown: ackedWhileDown - ackedAtKill, conflictsRetried: conflicts, outOfOrder, kafkaOutOfOrder, kafkaRedeliveries };
}

/** Beyond lost and duplicated, what this scenario requires. */
export const alsoRequire = (c: Counts) => (c.outOfOrder === 0 && c.kafkaOutOfOrder === 0 ? null : "read model and Kafka in order per quote");
