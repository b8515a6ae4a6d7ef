/**
 * Fault (b): the worker (relay + projector + scheduled commands, one process) is SIGKILLed at random moments while
 * customers run the wizard, and started again, many times. Afterwards the live read models must equal a clean
 * rebuild from the topic (lib/projections/rebuild.ts, not activated), with nothing lost and nothing applied twice.
 */
import { randomUUID } from "node:crypto";
import { snapshotReadModels } from "../../lib/projections/testing/compare-generations";
import { readModelClient } from "../../lib/projections/generations";
import { rebuildReadModels } from "../../lib/projections/rebuild";
import { builtInRegistry } from "../../lib/messaging/avro/schema-registry";
import { sleep } from "../../bench/support/stats";
import { account, call, FAULT_CLAIM_LEASE_SECONDS, inParallel, ok, PAGE_EVENT, PAGES, startQuote, type Counts, type FaultEnvironment, type Page, type SentCommand } from "./harness";

export const name = "worker SIGKILLed at random points, restarted";

export async function run(env: FaultEnvironment, options: { quick: boolean; log: (line: string) => void }): Promise<Counts> {
  const { log } = options;
  const quoteCount = options.quick ? 40 : 150;
  const kills = options.quick ? 5 : 15;
  const commands: SentCommand[] = [];
  const quoteIds: string[] = [];

  let trafficDone = false;
  const traffic = inParallel(
    Array.from({ length: quoteCount }, (_, i) => i),
    8,
    async (i) => {
      const quote = await startQuote(env.baseUrl);
      quoteIds.push(quote.quoteId);
      for (const page of ["geographic", "contact", "family"] as Page[]) {
        const correlationId = randomUUID();
        let answer = await call(env.baseUrl, "PUT", `/api/quotes/${quote.quoteId}/${page}-details`, { body: PAGES[page](i), token: quote.token, headers: { "x-correlation-id": correlationId } });
        for (let retry = 0; answer.status === 409 && retry < 5; retry++) answer = await call(env.baseUrl, "PUT", `/api/quotes/${quote.quoteId}/${page}-details`, { body: PAGES[page](i), token: quote.token, headers: { "x-correlation-id": correlationId } });
        commands.push({ correlationId, quoteId: quote.quoteId, acked: ok(answer), version: ok(answer) ? ((answer.body as { version: number }).version ?? null) : null, eventType: PAGE_EVENT[page] });
      }
      const correlationId = randomUUID();
      let answer = await call(env.baseUrl, "POST", `/api/quotes/${quote.quoteId}/submit`, { token: quote.token, headers: { "x-correlation-id": correlationId } });
      for (let retry = 0; answer.status === 409 && retry < 5; retry++) answer = await call(env.baseUrl, "POST", `/api/quotes/${quote.quoteId}/submit`, { token: quote.token, headers: { "x-correlation-id": correlationId } });
      commands.push({ correlationId, quoteId: quote.quoteId, acked: ok(answer), version: ok(answer) ? ((answer.body as { version: number }).version ?? null) : null, eventType: "QuoteSubmitted" });
    },
  ).finally(() => (trafficDone = true));

  // Kill the worker at a random moment 0.2–1.7 s into each life; at least `kills` times, and on until the traffic ends.
  let killed = 0;
  while (killed < kills || !trafficDone) {
    await sleep(200 + Math.floor(Math.random() * 1_500));
    const worker = env.worker();
    try {
      process.kill(worker.pid, "SIGKILL");
    } catch {
      /* it had already exited: counted by deadProcesses, started again below */
    }
    await worker.exited;
    killed++;
    await env.startWorker();
    if (killed >= kills * 4) break; // bounded, whatever the traffic does
  }
  await traffic;
  log(`  ${killed} SIGKILLs; ${commands.length} commands sent on ${quoteIds.length} quotes`);

  const t = Date.now();
  await env.caughtUp(options.quick ? 150_000 : 240_000);
  log(`  caught up ${((Date.now() - t) / 1000).toFixed(1)} s after the last restart (a killed worker's claimed application-number requests wait out their ${FAULT_CLAIM_LEASE_SECONDS} s lease)`);

  const counts = await account(env, commands);
  const rebuilt = await rebuildReadModels({ db: env.db, databaseUrl: env.databaseUrl, kafka: env.kafka, registry: builtInRegistry(), activate: false });
  const live = readModelClient(await env.liveSchema(), env.databaseUrl);
  const fresh = readModelClient(rebuilt.schema, env.databaseUrl);
  const [liveMine, rebuiltMine, liveAll, rebuiltAll] = await Promise.all([snapshotReadModels(live, quoteIds), snapshotReadModels(fresh, quoteIds), snapshotReadModels(live), snapshotReadModels(fresh)]);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  let differingQuotes = 0;
  const liveDetails = new Map((liveMine.details as Array<{ quoteId: string }>).map((d) => [d.quoteId, JSON.stringify(d)]));
  for (const d of rebuiltMine.details as Array<{ quoteId: string }>) if (liveDetails.get(d.quoteId) !== JSON.stringify(d)) differingQuotes++;
  differingQuotes += Math.abs(liveMine.details.length - rebuiltMine.details.length);
  return {
    ...counts,
    kills: killed,
    rebuiltEvents: rebuilt.applied,
    liveEqualsRebuild: same(liveMine, rebuiltMine) && same(liveAll, rebuiltAll) ? "yes" : "NO",
    differingQuotes,
  };
}

export const alsoRequire = (c: Counts) => (c.liveEqualsRebuild === "yes" ? null : "live read models equal a clean rebuild");
