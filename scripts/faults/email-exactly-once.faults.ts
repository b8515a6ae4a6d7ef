/**
 * Fault: the worker, which also queues and sends the customers' emails (lib/notifications), is SIGKILLed at random
 * moments while customers submit quotes (each with an address of its own) and an agent decides them (approve,
 * reject, refer, refer then approve) or the customer withdraws them; it is started again each time. The mail
 * catcher answers each message after SMTP_LATENCY_MS (its latency knob), as a distant server would, so a sender
 * holds its claims for that long. Every other life is killed 0–1.2 s after the worker is seen at work on these
 * emails (a claim or a sent one), so that kills land anywhere in the sender's rounds; the others are killed within
 * half that latency of a claim of their own being seen, so that some kills surely find emails mid-send. The report
 * counts the kills that found claimed emails in the dying worker's hands. Bounded:
 * 6 to 24 kills (15 to 60 full), the kills end at most a minute (two full) after the traffic. Afterwards, once the
 * outbox is drained (bounded), the mail catcher (the environment's stand-in for an MTA) must hold every email
 * exactly once.
 *
 * What is asserted, precisely:
 * (a) Strictly: the emails expected are one per event that sends one (lib/notifications/reactions.ts) in these
 *     quotes' streams: QuoteSubmitted, each decision, QuoteCancelled; and every command the test had acknowledged
 *     must be among those events. Each expected email has its Message-ID (messageIdOf its idempotency key) at the
 *     catcher, addressed to its quote's customer with the subject of its kind (none missing), and the catcher holds
 *     no other Message-ID for these addresses (none extra). Every one of their outbox rows ends "sent".
 * (b) Raw SMTP deliveries of one Message-ID (the catcher's `deliveries`) may exceed one only in the window
 *     sender.ts names: the server accepted the message and the worker died before marking the row sent, so after
 *     the claim's lease another worker sends it again, with the same Message-ID. That window cannot be closed from
 *     the sending side: SMTP has no way to ask a server whether it already took a message, so a sender in doubt
 *     either resends (a recognisable copy) or may lose the email; this one resends. So each extra delivery must be
 *     explained by a kill: one that came after (or within a second before: the message's last bytes were already
 *     on the wire) the copy before it and before the resend, with the row claimed at least as many times as the
 *     message was delivered. Extra deliveries are reported, with the kills that landed in a window; any
 *     unexplained one fails the scenario.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { AGENT_ROLE } from "../../lib/auth/auth";
import { createAgent } from "../../lib/auth/agents";
import { config } from "../../lib/config";
import { messageIdOf, notificationKey, WAITING_FOR_APPLICATION_NUMBER } from "../../lib/notifications/outbox";
import { notificationKindOf } from "../../lib/notifications/reactions";
import type { CaughtEmail } from "../../lib/notifications/testing/mail-catcher";
import { sleep } from "../../bench/support/stats";
import { account, call, inParallel, ok, FAULT_CLAIM_LEASE_SECONDS, PAGE_EVENT, PAGES, startQuote, type Counts, type FaultEnvironment, type Page, type SentCommand } from "./harness";

export const name = "worker SIGKILLed while quotes are decided: every email arrives once";

type Plan = "approve" | "reject" | "refer" | "refer-then-approve" | "withdraw";
const PLANS: readonly Plan[] = ["approve", "reject", "refer", "refer-then-approve", "withdraw"];
const EVENT_OF: Record<"approve" | "reject" | "refer" | "withdraw", string> = { approve: "QuoteApproved", reject: "QuoteRejected", refer: "QuoteReferred", withdraw: "QuoteCancelled" };
/** What each email's subject says (lib/notifications/compose-message.ts), by the event that caused it. */
const SUBJECT_OF: Record<string, RegExp> = {
  QuoteSubmitted: /^We have your /,
  QuoteCancelled: / is withdrawn$/,
  QuoteApproved: / is approved$/,
  QuoteApprovedAutomatically: / is approved$/,
  QuoteRejected: /^About your /,
  QuoteReferred: / is with an underwriter$/,
  QuoteReferredAutomatically: / is with an underwriter$/,
};
/** A sender claims up to this many emails at once (sender.ts runDue): one kill can land in that many windows. */
const CLAIM_BATCH = 10;
/** How long before a kill a message may still be taken by the server: its last bytes were already sent. */
const IN_FLIGHT_MS = 1_000;
/** How long the mail catcher takes to answer each message (below IN_FLIGHT_MS, so a copy it took after a kill is explained). */
const SMTP_LATENCY_MS = 300;


export async function run(env: FaultEnvironment, options: { quick: boolean; log: (line: string) => void }): Promise<Counts> {
  // Earlier scenarios' emails went here too; the catcher keeps at most 1,000.
  const cleared = await fetch(`${env.mailCatcherUrl}/messages`, { method: "DELETE" });
  if (!cleared.ok) throw new Error(`DELETE /messages answered ${cleared.status}`);
  await catcherLatency(env, SMTP_LATENCY_MS);
  try {
    return await sendAndKill(env, options);
  } finally {
    await catcherLatency(env, 0);
  }
}

async function catcherLatency(env: FaultEnvironment, latencyMs: number): Promise<void> {
  const res = await fetch(`${env.mailCatcherUrl}/control`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ latencyMs }) });
  if (!res.ok) throw new Error(`PUT /control answered ${res.status}`);
}

async function sendAndKill(env: FaultEnvironment, options: { quick: boolean; log: (line: string) => void }): Promise<Counts> {
  const { log } = options;
  const quoteCount = options.quick ? 30 : 100;
  const minKills = options.quick ? 6 : 15;
  const maxKills = minKills * 4;
  // After the traffic the kills go on while these quotes' emails are still queued, for this long at most.
  const killAfterTrafficMs = options.quick ? 60_000 : 120_000;
  const activityWaitMs = 30_000;
  const drainLimitMs = options.quick ? 180_000 : 300_000;
  const from = config().MAIL_FROM;
  const tag = randomBytes(4).toString("hex");
  const addressOf = (i: number) => `email-once-${tag}-${i}@example.com`;
  const cookie = await signedInAgent(env);

  const commands: SentCommand[] = [];
  const quotes: Array<{ i: number; quoteId: string; plan: Plan }> = [];
  const refused: string[] = [];
  const send = async (quoteId: string, method: string, pathname: string, eventType: string, auth: { token?: string; cookie?: string }, body?: unknown) => {
    const correlationId = randomUUID();
    const headers: Record<string, string> = { "x-correlation-id": correlationId, ...(auth.cookie ? { cookie: auth.cookie } : {}) };
    let answer = await call(env.baseUrl, method, pathname, { body, token: auth.token, headers });
    for (let retry = 0; answer.status === 409 && retry < 5; retry++) answer = await call(env.baseUrl, method, pathname, { body, token: auth.token, headers });
    commands.push({ correlationId, quoteId, acked: ok(answer), version: ok(answer) ? ((answer.body as { version: number }).version ?? null) : null, eventType });
    if (!ok(answer)) refused.push(`${method} ${pathname.replace(quoteId, ":id")} → ${answer.status} ${answer.text.slice(0, 160)}`);
    return ok(answer);
  };

  let trafficDone = false;
  let trafficDoneAt = 0;
  const traffic = inParallel(
    Array.from({ length: quoteCount }, (_, i) => i),
    6,
    async (i) => {
      const quote = await startQuote(env.baseUrl);
      const plan = PLANS[i % PLANS.length]!;
      quotes.push({ i, quoteId: quote.quoteId, plan });
      const pages = { geographic: PAGES.geographic(i), contact: { ...PAGES.contact(i), email: addressOf(i) }, family: { numberOfDependents: i % 3, childrenNames: [] } };
      for (const page of ["geographic", "contact", "family"] as Page[]) {
        await send(quote.quoteId, "PUT", `/api/quotes/${quote.quoteId}/${page}-details`, PAGE_EVENT[page], { token: quote.token }, pages[page]);
      }
      if (!(await send(quote.quoteId, "POST", `/api/quotes/${quote.quoteId}/submit`, "QuoteSubmitted", { token: quote.token }))) return;
      // The decision comes while the "we have your quote" email is queued, being sent, or sent.
      await sleep(Math.floor(Math.random() * 400));
      const decide = (decision: "approve" | "reject" | "refer") =>
        send(quote.quoteId, "POST", `/api/admin/quotes/${quote.quoteId}/${decision}`, EVENT_OF[decision], { cookie }, decision === "approve" ? {} : { reason: `fault test: ${decision}` });
      if (plan === "withdraw") await send(quote.quoteId, "POST", `/api/quotes/${quote.quoteId}/cancel`, EVENT_OF.withdraw, { token: quote.token });
      else if (plan === "refer-then-approve") {
        if (await decide("refer")) {
          await sleep(Math.floor(Math.random() * 400));
          await decide("approve");
        }
      } else await decide(plan);
    },
  ).finally(() => {
    trafficDone = true;
    trafficDoneAt = Date.now();
  });

  const pendingOfTheseQuotes = async () => {
    const { rows } = await env.pool.query<{ n: string }>("SELECT count(*) AS n FROM notifications WHERE quote_id = ANY($1::uuid[]) AND status = 'pending'", [quotes.map((q) => q.quoteId)]);
    return Number(rows[0]!.n);
  };

  // A claimed row: pending, under a lease from `since` or later (a row waiting for its number says so instead).
  const claimedAfter = `status = 'pending' AND last_error IS DISTINCT FROM '${WAITING_FOR_APPLICATION_NUMBER}' AND run_after > $2::timestamptz + make_interval(secs => ${FAULT_CLAIM_LEASE_SECONDS - 1})`;
  // Whether a sender has claimed or finished one of these quotes' emails since `since`.
  const busySince = async (since: Date) => {
    const { rowCount } = await env.pool.query(`SELECT 1 FROM notifications WHERE quote_id = ANY($1::uuid[]) AND (completed_at > $2 OR (${claimedAfter})) LIMIT 1`, [quotes.map((q) => q.quoteId), since]);
    return (rowCount ?? 0) > 0;
  };
  // Whether this life's sender holds one of these quotes' emails now: claimed since `since` and not yet done.
  const claimedSince = async (since: Date) => {
    const { rowCount } = await env.pool.query(`SELECT 1 FROM notifications WHERE quote_id = ANY($1::uuid[]) AND ${claimedAfter} LIMIT 1`, [quotes.map((q) => q.quoteId), since]);
    return (rowCount ?? 0) > 0;
  };
  // Rows a sender had claimed when it died show as pending under a lease still far off.
  const leased = async () => {
    const { rows } = await env.pool.query<{ id: string }>(`SELECT id::text FROM notifications WHERE quote_id = ANY($1::uuid[]) AND status = 'pending' AND last_error IS DISTINCT FROM '${WAITING_FOR_APPLICATION_NUMBER}' AND run_after > now() + make_interval(secs => ${Math.floor(FAULT_CLAIM_LEASE_SECONDS / 3)})`, [quotes.map((q) => q.quoteId)]);
    return rows.map((r) => r.id);
  };

  // Each life of the worker: wait until it is at work on these emails (a loaded machine takes seconds to start one,
  // and a kill before its first round would test nothing), then kill it 0–1.2 s later. At least minKills times, on
  // while the traffic runs, then on while these quotes' emails are queued (for a while); never more than maxKills.
  const killedAt: number[] = [];
  const interrupted = new Set<string>();
  let killsMidSend = 0;
  for (;;) {
    const lifeStarted = new Date();
    if (killedAt.length % 2 === 0) {
      while (!(await busySince(lifeStarted)) && Date.now() - lifeStarted.getTime() < activityWaitMs) await sleep(100);
      await sleep(Math.floor(Math.random() * 1_200));
    } else {
      while (!(await claimedSince(lifeStarted)) && Date.now() - lifeStarted.getTime() < activityWaitMs) await sleep(25);
      await sleep(Math.floor((Math.random() * SMTP_LATENCY_MS) / 2));
    }
    const worker = env.worker();
    killedAt.push(Date.now());
    try {
      process.kill(worker.pid, "SIGKILL");
    } catch {
      /* it had already exited: counted by deadProcesses, started again below */
    }
    await worker.exited;
    const claimedWhenKilled = (await leased()).filter((id) => !interrupted.has(id));
    if (claimedWhenKilled.length) killsMidSend++;
    for (const id of claimedWhenKilled) interrupted.add(id);
    await env.startWorker();
    if (killedAt.length >= maxKills) break;
    if (killedAt.length < minKills || !trafficDone) continue;
    if (Date.now() - trafficDoneAt > killAfterTrafficMs || (await pendingOfTheseQuotes()) === 0) break;
  }
  await traffic;
  const lastKill = killedAt.at(-1)!;
  log(`  ${killedAt.length} SIGKILLs, ${killsMidSend} of them while the dying worker held claimed emails (${interrupted.size} claims cut short); ${commands.length} commands on ${quotes.length} quotes (${commands.filter((c) => c.acked).length} acknowledged)`);
  for (const line of [...new Set(refused)].slice(0, 5)) log(`  refused: ${line}`);

  // The emails expected: one per event that sends one, in these quotes' streams.
  const quoteIds = quotes.map((q) => q.quoteId);
  const { rows: events } = await env.pool.query<{ stream_id: string; event_id: string; type: string; correlation_id: string }>(
    "SELECT stream_id::text, event_id::text, type, correlation_id FROM events WHERE stream_id = ANY($1::uuid[]) ORDER BY position",
    [quoteIds],
  );
  const addressByQuote = new Map(quotes.map((q) => [q.quoteId, addressOf(q.i)]));
  const expected = new Map<string, { quoteId: string; key: string; type: string }>();
  for (const event of events) {
    const kind = notificationKindOf(event.type);
    if (!kind) continue;
    const key = notificationKey(kind, event.event_id);
    expected.set(messageIdOf(key, from), { quoteId: event.stream_id, key, type: event.type });
  }
  // Each acknowledged command that sends an email must have recorded its event (the email's cause).
  const emailingTypes = new Set(Object.keys(SUBJECT_OF));
  const causes = new Set(events.map((e) => `${e.correlation_id}/${e.type}`));
  const ackedWithoutEvent = commands.filter((c) => c.acked && emailingTypes.has(c.eventType) && !causes.has(`${c.correlationId}/${c.eventType}`)).length;

  // Drained: every expected email's row is there and no longer pending (bounded).
  const drainStarted = Date.now();
  const keys = [...expected.values()].map((e) => e.key);
  let rows: Array<{ idempotency_key: string; status: string; attempts: number; last_error: string | null; skip_reason: string | null }> = [];
  for (;;) {
    ({ rows } = await env.pool.query("SELECT idempotency_key, status, attempts, last_error, skip_reason FROM notifications WHERE quote_id = ANY($1::uuid[])", [quoteIds]));
    const done = new Set(rows.filter((r) => r.status !== "pending").map((r) => r.idempotency_key));
    if (keys.every((key) => done.has(key)) && rows.every((r) => r.status !== "pending")) break;
    if (Date.now() - drainStarted > drainLimitMs) {
      log(`  not drained within ${drainLimitMs / 1000} s: ${keys.filter((key) => !done.has(key)).length} of ${keys.length} emails still queued or not queued`);
      break;
    }
    await sleep(500);
  }
  const drainSeconds = (Date.now() - drainStarted) / 1000;
  log(`  outbox drained ${drainSeconds.toFixed(1)} s after the traffic and the last kill (${((Date.now() - lastKill) / 1000).toFixed(1)} s after the last kill; an email a killed worker had claimed waits out its ${FAULT_CLAIM_LEASE_SECONDS} s lease)`);
  await env.caughtUp(options.quick ? 150_000 : 240_000);

  const res = await fetch(`${env.mailCatcherUrl}/messages`);
  if (!res.ok) throw new Error(`GET /messages answered ${res.status}`);
  const addresses = new Set(addressByQuote.values());
  const caught = ((await res.json()) as CaughtEmail[]).filter((m) => m.to.some((to) => addresses.has(to)));
  const deliveriesOf = new Map<string, number[]>();
  for (const message of caught) deliveriesOf.set(message.messageId ?? "(none)", [...(deliveriesOf.get(message.messageId ?? "(none)") ?? []), Date.parse(message.receivedAt)]);

  let missing = 0;
  let wrong = 0;
  for (const [messageId, email] of expected) {
    const copies = caught.filter((m) => m.messageId === messageId);
    if (!copies.length) {
      missing++;
      continue;
    }
    if (copies.some((m) => m.to.length !== 1 || m.to[0] !== addressByQuote.get(email.quoteId) || !SUBJECT_OF[email.type]!.test(m.subject))) wrong++;
  }
  const extra = [...deliveriesOf.keys()].filter((messageId) => !expected.has(messageId)).length;

  // (b) Raw deliveries beyond one per Message-ID, each to be explained by a kill in its window.
  const attemptsByKey = new Map(rows.map((r) => [r.idempotency_key, r.attempts]));
  let rawDuplicates = 0;
  let unexplained = 0;
  const windowKills = new Set<number>();
  for (const [messageId, times] of deliveriesOf) {
    if (times.length < 2) continue;
    rawDuplicates += times.length - 1;
    times.sort((a, b) => a - b);
    const key = expected.get(messageId)?.key;
    const claims = key ? (attemptsByKey.get(key) ?? 0) : 0;
    let explained = claims >= times.length;
    for (let j = 1; j < times.length; j++) {
      const kill = killedAt.find((k) => k >= times[j - 1]! - IN_FLIGHT_MS && k <= times[j]!);
      if (kill === undefined) explained = false;
      else windowKills.add(kill);
    }
    if (!explained) unexplained += times.length - 1;
    log(`  ${messageId} delivered ${times.length} times (${times.map((t) => new Date(t).toISOString().slice(11, 23)).join(", ")}; row claimed ${claims} times)${explained ? ": a kill in the window" : ": NOT explained by a kill"}`);
  }

  const statuses = new Map<string, number>();
  for (const r of rows) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  const notSent = rows.filter((r) => r.status !== "sent");
  for (const r of notSent.slice(0, 5)) log(`  outbox row ${r.idempotency_key}: ${r.status} (${r.skip_reason ?? r.last_error ?? ""})`);
  const rowsNotExpected = rows.filter((r) => !keys.includes(r.idempotency_key)).length;
  log(`  emails: ${expected.size} expected, ${expected.size - missing} arrived, ${missing} missing, ${extra} extra Message-IDs, ${wrong} to the wrong address or with the wrong subject; ${caught.length} raw SMTP deliveries, ${rawDuplicates} of them again with a Message-ID already delivered (${unexplained} not explained by a kill); ${windowKills.size} kills landed in a window; outbox ${[...statuses].map(([s, n]) => `${s} ${n}`).join(", ")}`);

  const counts = await account(env, commands);
  return {
    ...counts,
    lost: counts.lost + missing + ackedWithoutEvent,
    duplicated: counts.duplicated + extra,
    kills: killedAt.length,
    killsMidSend,
    claimsCutShort: interrupted.size,
    emailsExpected: expected.size,
    emailsArrived: expected.size - missing,
    emailsMissing: missing,
    extraMessageIds: extra,
    wrongAddressOrSubject: wrong,
    ackedWithoutEvent,
    rawDeliveries: caught.length,
    rawDuplicates,
    unexplainedDuplicates: unexplained,
    killsInWindow: windowKills.size,
    outboxNotSent: notSent.length + rowsNotExpected,
    drainSeconds: Number(drainSeconds.toFixed(1)),
  };
}

export function alsoRequire(c: Counts): string | null {
  const problems = [
    c.emailsMissing !== 0 && `${c.emailsMissing} emails missing`,
    c.extraMessageIds !== 0 && `${c.extraMessageIds} Message-IDs not expected`,
    c.wrongAddressOrSubject !== 0 && `${c.wrongAddressOrSubject} emails to the wrong address or with the wrong subject`,
    c.ackedWithoutEvent !== 0 && `${c.ackedWithoutEvent} acknowledged commands without their event`,
    c.unexplainedDuplicates !== 0 && `${c.unexplainedDuplicates} repeated deliveries not explained by a kill in the window`,
    Number(c.rawDuplicates) > Number(c.killsInWindow) * CLAIM_BATCH && `${c.rawDuplicates} repeated deliveries from ${c.killsInWindow} kills`,
    c.outboxNotSent !== 0 && `${c.outboxNotSent} outbox rows not sent (or not expected)`,
    Number(c.emailsExpected) === 0 && "no emails expected",
    c.killsMidSend === 0 && "no kill landed while the worker held claimed emails",
  ].filter(Boolean);
  return problems.length ? problems.join("; ") : null;
}

/** An agent created in the database and signed in through Better Auth's endpoint: the Cookie header to send. */
async function signedInAgent(env: FaultEnvironment): Promise<string> {
  const email = `faults-agent-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomBytes(12).toString("base64url")}`;
  await createAgent(env.db, { email, name: "Fault test agent", password, role: AGENT_ROLE });
  const res = await fetch(`${env.baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    // A client address of its own: sign-ins from 127.0.0.1 share one rate-limit bucket.
    headers: { "content-type": "application/json", origin: env.baseUrl, "x-forwarded-for": `10.${[...randomBytes(3)].join(".")}` },
    body: JSON.stringify({ email, password }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (res.status !== 200 || !cookie) throw new Error(`signing the agent in answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return cookie;
}
