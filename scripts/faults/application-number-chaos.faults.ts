/**
 * Fault (d): the application-number stand-in fails half its requests and answers after 2 s (PUT /control). Customers
 * meanwhile run the whole wizard and submit: every quote must still get exactly one application number (assigned
 * by the worker, visible in the read model), and the wizard's submits must stay fast — they never wait on the service.
 * Baseline: the same walk with the service healthy, just before.
 */
import { randomUUID } from "node:crypto";
import { sleep, summarize } from "../../bench/support/stats";
import { call, FAULT_CLAIM_LEASE_SECONDS, inParallel, ok, PAGES, startQuote, type Counts, type FaultEnvironment, type Page } from "./harness";

export const name = "application-number service at 50% failures and 2 s latency";

async function control(env: FaultEnvironment, knobs: { failureRate: number; latencyMs: number }) {
  const res = await fetch(`${env.applicationNumberUrl}/control`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(knobs) });
  if (!res.ok) throw new Error(`PUT /control answered ${res.status}`);
}

/** The application-number requests of these quotes as the worker left them: status, rounds, last error. */
async function describeScheduled(env: FaultEnvironment, quoteIds: string[], log: (line: string) => void) {
  const { rows } = await env.pool.query<{ status: string; attempts: number; last_error: string | null; n: number }>(
    "SELECT status, attempts, left(coalesce(last_error, ''), 200) AS last_error, count(*)::int AS n FROM scheduled_commands WHERE stream_id = ANY($1::uuid[]) GROUP BY 1, 2, 3 ORDER BY n DESC",
    [quoteIds],
  );
  for (const r of rows) log(`    requests ${r.status}, ${r.attempts} round(s)${r.last_error ? `, last error: ${r.last_error}` : ""}: ${r.n}`);
}

/** Walks the wizard for `count` quotes (5 at a time); returns their ids, the submits that succeeded and every step's time. */
async function walk(env: FaultEnvironment, count: number) {
  const quoteIds: string[] = [];
  const submitted: string[] = [];
  const stepMs: number[] = [];
  let refused = 0;
  await inParallel(
    Array.from({ length: count }, (_, i) => i),
    5,
    async (i) => {
      const quote = await startQuote(env.baseUrl);
      stepMs.push(quote.answer.ms);
      quoteIds.push(quote.quoteId);
      for (const page of ["geographic", "contact", "family"] as Page[]) {
        let answer = await call(env.baseUrl, "PUT", `/api/quotes/${quote.quoteId}/${page}-details`, { body: PAGES[page](i), token: quote.token, headers: { "idempotency-key": randomUUID() } });
        for (let retry = 0; answer.status === 409 && retry < 5; retry++) answer = await call(env.baseUrl, "PUT", `/api/quotes/${quote.quoteId}/${page}-details`, { body: PAGES[page](i), token: quote.token });
        stepMs.push(answer.ms);
        if (!ok(answer)) refused++;
      }
      let answer = await call(env.baseUrl, "POST", `/api/quotes/${quote.quoteId}/submit`, { token: quote.token });
      for (let retry = 0; answer.status === 409 && retry < 5; retry++) answer = await call(env.baseUrl, "POST", `/api/quotes/${quote.quoteId}/submit`, { token: quote.token });
      stepMs.push(answer.ms);
      if (ok(answer)) submitted.push(quote.quoteId);
      else refused++;
    },
  );
  return { quoteIds, submitted, stepMs, refused };
}

export async function run(env: FaultEnvironment, options: { quick: boolean; log: (line: string) => void }): Promise<Counts> {
  const { log } = options;
  await control(env, { failureRate: 0, latencyMs: 0 });
  const baseline = await walk(env, options.quick ? 10 : 20);
  const base = summarize(baseline.stepMs);
  log(`  healthy service: ${baseline.stepMs.length} wizard requests, p50 ${Math.round(base.p50)} ms, p99 ${Math.round(base.p99)} ms`);
  // The control: with the service healthy, every baseline quote gets its number (before the service degrades).
  const healthyStarted = Date.now();
  const numberedOf = async (ids: string[]) => {
    const { rows } = await env.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${await env.liveSchema()}".quote_details WHERE application_number IS NOT NULL AND quote_id = ANY($1::uuid[])`, [ids]);
    return rows[0]!.n;
  };
  while ((await numberedOf(baseline.submitted)) < baseline.submitted.length && Date.now() - healthyStarted < 60_000) await sleep(500);
  const healthyNumbered = await numberedOf(baseline.submitted);
  log(`  healthy service: ${healthyNumbered}/${baseline.submitted.length} quotes numbered within ${((Date.now() - healthyStarted) / 1000).toFixed(1)} s`);
  await describeScheduled(env, baseline.quoteIds, log);
  const crashed = env.worker().warnings.filter((line) => line.includes("scheduled command crashed"));
  if (crashed.length) log(`    worker: ${crashed.length} × "scheduled command crashed" (retried after the ${FAULT_CLAIM_LEASE_SECONDS} s lease), e.g. ${crashed[crashed.length - 1]!.slice(0, 400)}`);

  await control(env, { failureRate: 0.5, latencyMs: 2_000 });
  let chaos: Awaited<ReturnType<typeof walk>>;
  let waitedMs = 0;
  try {
    chaos = await walk(env, options.quick ? 15 : 40);
    const during = summarize(chaos.stepMs);
    log(`  failing, slow service: ${chaos.stepMs.length} wizard requests, p50 ${Math.round(during.p50)} ms, p99 ${Math.round(during.p99)} ms`);

    // Every quote's number, assigned by the worker through the failures (bounded wait).
    const all = [...baseline.submitted, ...chaos.submitted];
    const schema = await env.liveSchema();
    const started = Date.now();
    const limit = options.quick ? 150_000 : 240_000;
    for (;;) {
      const { rows } = await env.pool.query<{ n: number; failed: number }>(
        `SELECT count(*) FILTER (WHERE application_number IS NOT NULL)::int AS n, count(*) FILTER (WHERE application_number_status = 'failed')::int AS failed FROM "${schema}".quote_details WHERE quote_id = ANY($1::uuid[])`,
        [all],
      );
      // Done when every quote has its number or a recorded failure (which no later round changes).
      if (rows[0]!.n + rows[0]!.failed >= all.length || Date.now() - started > limit) break;
      await sleep(1_000);
    }
    waitedMs = Date.now() - started;
  } finally {
    await control(env, { failureRate: 0, latencyMs: 0 });
  }

  const all = [...baseline.submitted, ...chaos.submitted];
  const schema = await env.liveSchema();
  const { rows: views } = await env.pool.query<{ quote_id: string; application_number: string | null; application_number_status: string; application_number_failure: string | null }>(
    `SELECT quote_id, application_number, application_number_status, application_number_failure FROM "${schema}".quote_details WHERE quote_id = ANY($1::uuid[])`,
    [all],
  );
  const { rows: assigned } = await env.pool.query<{ stream_id: string; n: number }>(
    "SELECT stream_id, count(*)::int AS n FROM events WHERE type = 'ApplicationNumberAssigned' AND stream_id = ANY($1::uuid[]) GROUP BY stream_id",
    [all],
  );
  const numbered = views.filter((v) => v.application_number !== null);
  const failed = views.filter((v) => v.application_number_status === "failed");
  const numbers = numbered.map((v) => v.application_number!);
  const duplicated = assigned.reduce((sum, r) => sum + Math.max(0, r.n - 1), 0) + (numbers.length - new Set(numbers).size);
  if (failed.length) log(`  ${failed.length} quote(s) recorded ApplicationNumberRequestFailed, e.g.: ${failed[0]!.application_number_failure}`);
  await describeScheduled(env, chaos.quoteIds, log);
  const health = (await (await fetch(`${env.applicationNumberUrl}/health`)).json()) as { requests: number; failures: number; issued: number };
  const during = summarize(chaos.stepMs);
  const chaosNumbered = numbered.filter((v) => chaos.submitted.includes(v.quote_id)).length;
  return {
    sent: baseline.quoteIds.length + chaos.quoteIds.length,
    acknowledged: all.length,
    projected: numbered.length,
    lost: all.length - numbered.length,
    duplicated,
    numberedWhileHealthy: `${healthyNumbered}/${baseline.submitted.length}`,
    numberedThroughFailures: `${chaosNumbered}/${chaos.submitted.length}`,
    recordedAsFailed: failed.length,
    waitedForNumbersMs: waitedMs,
    wizardRequestsRefused: baseline.refused + chaos.refused,
    healthyP99Ms: Math.round(base.p99),
    degradedP50Ms: Math.round(during.p50),
    degradedP99Ms: Math.round(during.p99),
    serviceRequests: health.requests,
    serviceFailures: health.failures,
  };
}

/** Fast: the slowest wizard request stays far below the service's 2 s (the app never waits on it). */
export const alsoRequire = (c: Counts) => {
  const limit = Math.max(1_000, 2 * Number(c.healthyP99Ms));
  if (Number(c.degradedP99Ms) >= limit) return `wizard p99 ${c.degradedP99Ms} ms with the service degraded (limit ${limit} ms)`;
  if (c.acknowledged !== c.sent) return "every quote submitted";
  return null;
};
