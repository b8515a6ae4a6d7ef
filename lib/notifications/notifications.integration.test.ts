// The customer emails end to end inside the worker: the reactor reads the real event log and queues rows in the
// outbox, the sender composes each from the quote's decrypted events and sends it over SMTP to the mail catcher
// (its own process), the scheduled-command runner queues the reminder before expiry. Real PostgreSQL, real SMTP.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { customerQuote, inProcessCommandBus, runRoundsUntil, sendCommand } from "../commands/testing/in-process-bus";
import { DEFAULT_UNDERWRITING_SETTINGS, type Actor } from "../domain/quote";
import { createEventStore } from "../eventstore/event-store";
import { createApplicationNumberClient } from "../integrations/application-number-client";
import { startStandIn, type StandIn } from "../integrations/testing/application-number-stand-in";
import { createLogger } from "../logging/logger";
import { createScheduledCommandProcessor } from "../worker/scheduled-commands";
import { createNotificationOutbox, messageIdOf, WAITING_FOR_APPLICATION_NUMBER } from "./outbox";
import { createNotificationReactor } from "./reactor";
import { createNotificationSender } from "./sender";
import { createSmtpTransport } from "./smtp-transport";
import { startMailCatcher, type CaughtEmail, type MailCatcher } from "./testing/mail-catcher";

const VALIDITY_SECONDS = 8;
const FROM = "Family Cover <quotes@family-cover.example>";
const ORIGIN = "https://quotes.example.com";
const agent: Actor = { kind: "agent", agentId: "agent-emails" };
const log = createLogger("notifications-test");

const store = createEventStore(prisma());
const busWith = (underwriting = DEFAULT_UNDERWRITING_SETTINGS) => inProcessCommandBus(store, { validity: { seconds: VALIDITY_SECONDS }, underwriting });
const commandBus = busWith();
const referringBus = busWith({ ...DEFAULT_UNDERWRITING_SETTINGS, referralRegions: ["US-CA"] });
const outbox = createNotificationOutbox(prisma());
const reactor = createNotificationReactor({ db: prisma() });

let catcher: MailCatcher;
let standIn: StandIn;
let sender: ReturnType<typeof createNotificationSender>;
let scheduled: ReturnType<typeof createScheduledCommandProcessor>;

before(async () => {
  [catcher, standIn] = await Promise.all([startMailCatcher(), startStandIn()]);
  const transport = createSmtpTransport(catcher.smtpUrl);
  // Retries after a second here, so "SMTP down, then up" finishes within the test.
  sender = createNotificationSender({ outbox, store, transport, from: FROM, appOrigin: ORIGIN, log, retryDelayMs: () => 1_000 });
  const client = createApplicationNumberClient({ baseUrl: standIn.baseUrl, log });
  scheduled = createScheduledCommandProcessor({ db: prisma(), commandBus, client, log });
  // The suites share one database: what other files queued and recorded is not this file's to send.
  await prisma().scheduledCommand.deleteMany({ where: { status: "pending" } });
  await prisma().notification.deleteMany({ where: { status: "pending" } });
  await reactor.skipToEndOfLog();
});
after(async () => {
  await Promise.all([catcher?.stop(), standIn?.stop()]);
  await prisma().$disconnect();
});

/** One round of the worker's notification and scheduled-command loops. */
const workerRound = async () => (await scheduled.runDue()) + (await reactor.runOnce()) + (await sender.runDue());

const runUntil = (done: () => Promise<boolean>, limitMs = 30_000) => runRoundsUntil(workerRound, done, limitMs);

const run = <T>(type: string, payload: Record<string, unknown>, metadata: { actor?: Actor; accessToken?: string } = {}, bus = commandBus) => sendCommand<T>(bus, type, payload, metadata);
const submittedQuote = (bus = commandBus) => customerQuote(bus);

const notificationsOf = (quoteId: string) => prisma().notification.findMany({ where: { quoteId }, orderBy: { id: "asc" } });
const settled = async (quoteId: string) => (await notificationsOf(quoteId)).every((n) => n.status !== "pending");
const subjects = (emails: CaughtEmail[]) => emails.map((e) => e.subject);

function assertNoToken(emails: CaughtEmail[], accessToken: string) {
  for (const email of emails) {
    assert.ok(!email.text.includes(accessToken) && !email.html.includes(accessToken), "no email holds the access token");
  }
}

describe("customer emails", () => {
  it("'we have your quote' goes once the application number is assigned, with the number, the premium, the status and the validity date", async () => {
    const { quoteId, accessToken, email } = await submittedQuote();
    await runUntil(async () => (await catcher.messages(email)).length === 1 && (await settled(quoteId)));
    const [sent] = await catcher.messages(email);
    const state = await store.readStream(quoteId);
    const number = state.find((e) => e.type === "ApplicationNumberAssigned");
    assert.ok(number?.type === "ApplicationNumberAssigned");
    assert.match(sent!.subject, new RegExp(number.data.applicationNumber));
    assert.match(sent!.text, new RegExp(`Application number: ${number.data.applicationNumber}`));
    assert.match(sent!.text, /Monthly premium: \$[\d,]+\.\d\d a month/);
    assert.match(sent!.text, /Status: Submitted/);
    assert.match(sent!.text, /Offer valid until: \d{1,2} \w+ \d{4}/);
    assert.ok(sent!.html.includes(number.data.applicationNumber), "the HTML part says it too");
    assert.ok(sent!.text.includes(`${ORIGIN}/quote/${quoteId}`), "links to the quote's page");
    assertNoToken([sent!], accessToken);
    const [row] = await notificationsOf(quoteId);
    assert.equal(sent!.messageId, messageIdOf(row!.idempotencyKey, FROM), "the Message-ID is derived from the idempotency key");
    assert.equal(sent!.deliveries, 1);
    assert.equal(row!.status, "sent");
  });

  it("a decision by an agent, and an automatic referral, each send one email after 'we have your quote'; a withdrawal sends one", async () => {
    const approved = await submittedQuote();
    await runUntil(async () => (await catcher.messages(approved.email)).length === 1);
    assert.ok((await run("ApproveQuote", { quoteId: approved.quoteId, reason: "Fine" }, { actor: agent })).ok);

    const referred = await submittedQuote(referringBus);
    const withdrawn = await submittedQuote();
    await runUntil(async () => (await catcher.messages(withdrawn.email)).length === 1);
    assert.ok((await run("CancelQuote", { quoteId: withdrawn.quoteId }, { accessToken: withdrawn.accessToken })).ok);

    await runUntil(async () => (await settled(approved.quoteId)) && (await settled(referred.quoteId)) && (await settled(withdrawn.quoteId)) && (await catcher.messages(withdrawn.email)).length === 2);
    const approvedEmails = await catcher.messages(approved.email);
    assert.equal(approvedEmails.length, 2);
    assert.match(approvedEmails[1]!.subject, /is approved/);
    assert.match(approvedEmails[1]!.text, /Status: Approved/);

    // Referred by a rule in the same append as QuoteSubmitted: still told "we have your quote" first.
    const referredEmails = await catcher.messages(referred.email);
    assert.equal(referredEmails.length, 2);
    assert.match(referredEmails[0]!.subject, /We have your/);
    assert.match(referredEmails[1]!.text, /Status: With an underwriter/);
    assert.match(referredEmails[1]!.text, /automatic checks/);

    const withdrawnEmails = await catcher.messages(withdrawn.email);
    assert.match(withdrawnEmails[1]!.subject, /withdrawn/);
    assert.ok(!withdrawnEmails[1]!.text.includes(ORIGIN), "nothing to link to once withdrawn");
    for (const { email, accessToken } of [approved, referred, withdrawn]) {
      const emails = await catcher.messages(email);
      assert.ok(emails.every((e) => e.deliveries === 1), `each once: ${subjects(emails).join(" | ")}`);
      assertNoToken(emails, accessToken);
    }
  });

  it("the reminder before expiry goes to an open quote, and is skipped for a decided one", async () => {
    const open = await submittedQuote();
    const decided = await submittedQuote();
    await runUntil(async () => (await catcher.messages(decided.email)).length === 1);
    assert.ok((await run("RejectQuote", { quoteId: decided.quoteId, reason: "Outside our appetite" }, { actor: agent })).ok);
    // Validity of 8 s is under three days: reminded halfway, about 4 s after submission.
    await runUntil(async () => (await catcher.messages(open.email)).some((e) => /ends soon/.test(e.subject)) && (await notificationsOf(decided.quoteId)).some((n) => n.kind === "expiring-soon" && n.status !== "pending"));
    const reminder = (await catcher.messages(open.email)).find((e) => /ends soon/.test(e.subject))!;
    assert.match(reminder.text, /Offer valid until/);
    const skipped = (await notificationsOf(decided.quoteId)).find((n) => n.kind === "expiring-soon")!;
    assert.equal(skipped.status, "skipped");
    assert.equal(skipped.skipReason, "quote rejected");
    assert.ok(!(await catcher.messages(decided.email)).some((e) => /ends soon/.test(e.subject)));
  });

  it("an erased quote's emails are dropped, never sent", async () => {
    const { quoteId, accessToken, email } = await submittedQuote();
    await reactor.runOnce();
    const erased = await run("EraseQuotePersonalData", { quoteId, reason: "customer asked" }, { accessToken });
    assert.ok(erased.ok, JSON.stringify(erased));
    await runUntil(async () => (await notificationsOf(quoteId)).length > 0 && (await settled(quoteId)));
    const rows = await notificationsOf(quoteId);
    assert.ok(rows.every((n) => n.status === "skipped" && n.skipReason === "erased"), JSON.stringify(rows.map((n) => [n.kind, n.status, n.skipReason])));
    assert.deepEqual(await catcher.messages(email), []);
  });

  it("with the SMTP server down the email waits and is retried; once it is back the email arrives, once", async () => {
    await catcher.stop();
    try {
      const { quoteId, email } = await submittedQuote();
      await runUntil(async () => (await notificationsOf(quoteId)).some((n) => n.attempts > 0 && n.lastError !== null && n.lastError !== WAITING_FOR_APPLICATION_NUMBER));
      const [waiting] = await notificationsOf(quoteId);
      assert.equal(waiting!.status, "pending");
      assert.ok(!waiting!.lastError!.includes(email), "the error recorded holds no address");
      await catcher.start();
      await runUntil(async () => (await settled(quoteId)) && (await catcher.messages(email)).length === 1);
      const [sent] = await catcher.messages(email);
      assert.equal(sent!.deliveries, 1);
      assert.equal((await notificationsOf(quoteId))[0]!.status, "sent");
    } finally {
      await catcher.start().catch(() => {});
    }
  });

  it("a sender that died after claiming an email leaves it to the next after the lease: sent once; a copy resent after a crash past SMTP's 250 has the same Message-ID", async () => {
    const { quoteId, email } = await submittedQuote();
    // Only the application number's request runs first: the sender must not get to the email before the test does.
    while ((await prisma().scheduledCommand.count({ where: { streamId: quoteId, type: "RequestApplicationNumber", status: "pending" } })) > 0) await scheduled.runDue();
    await reactor.runOnce();
    const claimed = await outbox.claim(10, 60);
    assert.ok(claimed.some((n) => n.quoteId === quoteId), "claimed by the sender that dies");
    // The lease runs out.
    await prisma().notification.updateMany({ where: { quoteId }, data: { runAfter: new Date() } });
    await runUntil(async () => await settled(quoteId));
    let emails = await catcher.messages(email);
    assert.equal(emails.length, 1);
    assert.equal(emails[0]!.deliveries, 1);

    // The remaining window: accepted by the server, then the worker died before its mark. Sent again after the lease,
    // the copy carries the same Message-ID, so the catcher (and a receiver) sees two deliveries of one message.
    await prisma().notification.updateMany({ where: { quoteId }, data: { status: "pending", runAfter: new Date() } });
    await runUntil(async () => await settled(quoteId));
    emails = await catcher.messages(email);
    assert.equal(emails.length, 2);
    assert.equal(emails[0]!.messageId, emails[1]!.messageId);
    assert.equal(emails[1]!.deliveries, 2);
  });
});
