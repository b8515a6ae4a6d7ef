/**
 * Fault (c): PostgreSQL is stopped under load and started again. Meanwhile the production API must answer every
 * request with 503 application/problem+json (no hang, no 500, no stack trace), the worker must wait (stay up and
 * retry), and both must recover by themselves once PostgreSQL is back; every acknowledged command then reaches the
 * read model. Anything the API answered that is not a proper 503 is printed as it came.
 */
import { randomUUID } from "node:crypto";
import { sleep } from "../../bench/support/stats";
import { account, call, ok, PAGES, startQuote, type ApiAnswer, type Counts, type FaultEnvironment, type StartedQuote, type SentCommand } from "./harness";

export const name = "PostgreSQL stopped under load, started again";

type Phase = "before" | "outage" | "after";

function isProblem503(answer: ApiAnswer): boolean {
  const body = answer.body as { status?: unknown; title?: unknown; detail?: unknown } | null;
  return (
    answer.status === 503 &&
    answer.contentType.startsWith("application/problem+json") &&
    body !== null &&
    body.status === 503 &&
    typeof body.title === "string" &&
    !/\n\s+at\s|node_modules|prisma|ECONNREFUSED/i.test(answer.text)
  );
}

export async function run(env: FaultEnvironment, options: { quick: boolean; log: (line: string) => void }): Promise<Counts> {
  const { log } = options;
  const clients = options.quick ? 8 : 16;
  const outageMs = options.quick ? 6_000 : 12_000;
  const quotes: StartedQuote[] = [];
  for (let i = 0; i < clients * 2; i++) quotes.push(await startQuote(env.baseUrl));
  await env.caughtUp(60_000);

  let phase: Phase = "before";
  let running = true;
  const commands: Array<SentCommand & { phase: Phase }> = [];
  const answers: Array<{ phase: Phase; kind: "command" | "query"; answer: ApiAnswer; at: number }> = [];
  let restartedAt = 0;
  let firstOkAfterRestart = 0;
  const load = Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; running; i++) {
      const quote = quotes[(c + clients * i) % quotes.length]!;
      const at = Date.now();
      if (i % 5 === 4) {
        const answer = await call(env.baseUrl, "GET", `/api/quotes/${quote.quoteId}`, { token: quote.token });
        answers.push({ phase, kind: "query", answer, at });
      } else {
        const correlationId = randomUUID();
        const requestPhase = phase;
        const answer = await call(env.baseUrl, "PUT", `/api/quotes/${quote.quoteId}/contact-details`, { body: PAGES.contact(i), token: quote.token, headers: { "x-correlation-id": correlationId } });
        answers.push({ phase: requestPhase, kind: "command", answer, at });
        commands.push({ correlationId, quoteId: quote.quoteId, acked: ok(answer), version: ok(answer) ? ((answer.body as { version: number }).version ?? null) : null, eventType: "ContactDetailsCaptured", phase: requestPhase });
        if (ok(answer) && restartedAt && !firstOkAfterRestart && at >= restartedAt) firstOkAfterRestart = Date.now();
      }
      if (phase !== "before" && !ok(answers[answers.length - 1]!.answer)) await sleep(100); // a customer retrying, not a tight loop
    }
  });

  await sleep(3_000);
  const failedRoundsBefore = env.worker().failedRounds();
  log(`  stopping PostgreSQL (${answers.length} requests answered so far)`);
  phase = "outage";
  const stoppedAt = Date.now();
  await env.postgres.stop();
  await sleep(outageMs);
  const workerAliveDuringOutage = env.deadProcesses().length === 0;
  const failedRoundsDuringOutage = env.worker().failedRounds() - failedRoundsBefore;
  log(`  starting PostgreSQL again after ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s`);
  await env.postgres.start();
  restartedAt = Date.now();
  phase = "after";
  const deadline = Date.now() + 60_000;
  while (!firstOkAfterRestart && Date.now() < deadline) await sleep(100);
  await sleep(3_000);
  running = false;
  await Promise.all(load);
  const apiRecoveredInMs = firstOkAfterRestart ? firstOkAfterRestart - restartedAt : -1;
  log(`  API answered 2xx again ${apiRecoveredInMs >= 0 ? `${apiRecoveredInMs} ms` : "NEVER (60 s)"} after PostgreSQL was back`);

  const t = Date.now();
  let workerRecovered = true;
  try {
    await env.caughtUp(options.quick ? 90_000 : 120_000, { scheduled: false });
    log(`  worker caught up ${((Date.now() - t) / 1000).toFixed(1)} s later`);
  } catch (error) {
    workerRecovered = false;
    log(`  worker did NOT catch up: ${(error as Error).message}`);
  }

  // What the API said while PostgreSQL was down (and just after, while the pool reconnects).
  const notOk = answers.filter((a) => !ok(a.answer));
  const proper503 = notOk.filter((a) => isProblem503(a.answer));
  const hangs = notOk.filter((a) => a.answer.failure === "timeout");
  const improper = notOk.filter((a) => !isProblem503(a.answer));
  const seen = new Set<string>();
  for (const a of improper) {
    const key = `${a.kind} ${a.answer.status} ${a.answer.contentType} ${a.answer.failure ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    log(`  NOT a 503 problem+json (${a.phase}, ${a.kind}): status ${a.answer.status || a.answer.failure}, content-type "${a.answer.contentType}", ${Math.round(a.answer.ms)} ms, body: ${a.answer.text.slice(0, 400).replace(/\s+/g, " ")}`);
  }
  const slowest503 = Math.max(0, ...proper503.map((a) => a.answer.ms));
  const counts = await account(env, commands);
  return {
    ...counts,
    requests: answers.length,
    answered503ProblemJson: proper503.length,
    answeredOtherwise: improper.length,
    hangs: hangs.length,
    slowest503Ms: Math.round(slowest503),
    apiRecoveredInMs,
    workerFailedRoundsDuringOutage: failedRoundsDuringOutage,
    workerStayedUp: workerAliveDuringOutage && env.deadProcesses().length === 0 ? "yes" : "NO",
    workerRecovered: workerRecovered ? "yes" : "NO",
  };
}

export const alsoRequire = (c: Counts) => {
  const problems: string[] = [];
  if (c.answered503ProblemJson === 0) problems.push("no 503 seen while PostgreSQL was down");
  if (c.answeredOtherwise !== 0) problems.push(`${c.answeredOtherwise} answers were not 503 problem+json`);
  if (c.hangs !== 0) problems.push(`${c.hangs} requests hung (no answer in 10 s)`);
  if (c.apiRecoveredInMs === -1) problems.push("the API did not recover by itself");
  if (c.workerStayedUp !== "yes") problems.push("a process exited");
  if (c.workerRecovered !== "yes") problems.push("the worker did not catch up by itself");
  return problems.length ? problems.join("; ") : null;
};
