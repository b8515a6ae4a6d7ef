import "server-only";
import { createHash } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client";
import type { NotificationKind } from "./compose-message";

type Sql = Pick<PrismaClient, "$queryRaw" | "$executeRaw">;

/**
 * An email to send, as the outbox keeps it: which quote, which kind, what caused it. Never the address or the
 * message: those are personal data, read and composed when it is sent (and gone if the quote was erased by then).
 */
export interface NotificationIntent {
  quoteId: string;
  kind: NotificationKind;
  /** The event that caused it; null for the reminder, which a scheduled command causes. */
  eventId: string | null;
  idempotencyKey: string;
}

/** One email per cause and kind: the reactor reading an event twice, or a reminder run twice, queues it once. */
export const notificationKey = (kind: NotificationKind, causeId: string) => `${kind}:${causeId}`;

/**
 * The email's Message-ID, the same for every attempt to send one notification: a copy sent again after a crash
 * between the server's acceptance and the mark is recognisably the same message (receivers and the mail catcher
 * can tell, and many clients show one).
 */
export function messageIdOf(idempotencyKey: string, fromAddress: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(fromAddress)?.[1] ?? "notifications.invalid";
  return `<${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 32)}.notification@${domain}>`;
}

/** Queues the emails; those already queued (the same idempotency key) are left as they are. Returns how many were new. */
export async function enqueueNotifications(db: Sql, intents: readonly NotificationIntent[]): Promise<number> {
  if (!intents.length) return 0;
  return db.$executeRaw`
    INSERT INTO notifications (idempotency_key, quote_id, kind, event_id)
    SELECT key, quote_id, kind, event_id
      FROM unnest(${intents.map((i) => i.idempotencyKey)}::text[], ${intents.map((i) => i.quoteId)}::uuid[],
                  ${intents.map((i) => i.kind)}::text[], ${intents.map((i) => i.eventId)}::uuid[])
           WITH ORDINALITY AS intent(key, quote_id, kind, event_id, n)
     ORDER BY n
    ON CONFLICT (idempotency_key) DO NOTHING`;
}

/** What a row waiting for its quote's application number says in last_error: nothing was tried. A claim clears it. */
export const WAITING_FOR_APPLICATION_NUMBER = "waiting for the application number";

export interface ClaimedNotification {
  id: bigint;
  idempotencyKey: string;
  quoteId: string;
  kind: NotificationKind;
  eventId: string | null;
  /** This claim included. */
  attempts: number;
  createdAt: Date;
}

export function createNotificationOutbox(db: PrismaClient) {
  return {
    /**
     * Claims due notifications: each is hidden from other senders for `leaseSeconds` (a sender that dies mid-send
     * leaves it to be claimed again after). A quote's emails go in the order they were queued: one waits while an
     * earlier one of its quote is pending, so "approved" never overtakes "we have your quote".
     */
    claim(limit: number, leaseSeconds: number): Promise<ClaimedNotification[]> {
      return db.$queryRaw<ClaimedNotification[]>`
        UPDATE notifications
           SET attempts = attempts + 1, run_after = now() + make_interval(secs => ${leaseSeconds}),
               last_error = NULLIF(last_error, ${WAITING_FOR_APPLICATION_NUMBER})
         WHERE id IN (SELECT id FROM notifications n
                       WHERE status = 'pending' AND run_after <= now()
                         AND NOT EXISTS (SELECT 1 FROM notifications earlier
                                          WHERE earlier.quote_id = n.quote_id AND earlier.status = 'pending' AND earlier.id < n.id)
                       ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id, idempotency_key AS "idempotencyKey", quote_id::text AS "quoteId", kind, event_id::text AS "eventId", attempts, created_at AS "createdAt"`;
    },
    markSent: (id: bigint) => db.notification.update({ where: { id }, data: { status: "sent", lastError: null, completedAt: new Date() } }),
    /** Not sent, and never will be: `reason` says why (erased, closed, …). */
    markSkipped: (id: bigint, reason: string) => db.notification.update({ where: { id }, data: { status: "skipped", skipReason: reason, completedAt: new Date() } }),
    markFailed: (id: bigint, error: string) => db.notification.update({ where: { id }, data: { status: "failed", lastError: error, completedAt: new Date() } }),
    /** Back in line after `delayMs`; `countAttempt: false` when nothing was tried (waiting for the application number). */
    retryLater: (id: bigint, delayMs: number, error: string | null, options: { countAttempt?: boolean } = {}) =>
      db.notification.update({
        where: { id },
        data: { runAfter: new Date(Date.now() + delayMs), lastError: error, ...(options.countAttempt === false ? { attempts: { decrement: 1 } } : {}) },
      }),
    pending: () => db.notification.count({ where: { status: "pending" } }),
  };
}

export type NotificationOutbox = ReturnType<typeof createNotificationOutbox>;
