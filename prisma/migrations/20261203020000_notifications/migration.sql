-- CreateTable: the customer emails' outbox. A row names only the quote, the kind of email and what caused it. The
-- address and the message are composed when it is sent, from the quote's events decrypted with its data key.
CREATE TABLE "notifications" (
    "id" BIGSERIAL NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "quote_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "event_id" UUID,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "run_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "skip_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable: how far the notification reactor has read the event log.
CREATE TABLE "notification_checkpoints" (
    "source" TEXT NOT NULL,
    "position" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_checkpoints_pkey" PRIMARY KEY ("source")
);

-- CreateIndex
CREATE UNIQUE INDEX "notifications_idempotency_key_key" ON "notifications"("idempotency_key");

-- CreateIndex
CREATE INDEX "notifications_status_run_after_idx" ON "notifications"("status", "run_after");

-- CreateIndex
CREATE INDEX "notifications_quote_id_id_idx" ON "notifications"("quote_id", "id");

-- The reactor starts after the events recorded before this migration: customers are not emailed about the past
INSERT INTO "notification_checkpoints" ("source", "position")
SELECT 'postgres:events', "position" FROM "events" ORDER BY "tx_id" DESC, "position" DESC LIMIT 1;
