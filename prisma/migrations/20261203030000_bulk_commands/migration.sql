-- CreateTable: an asynchronous command on many quotes (a bulk decision), acknowledged before the worker runs it
CREATE TABLE "command_batches" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "requested_by" TEXT NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "request_fingerprint" TEXT,
    "total" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "command_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable: one quote of a batch, claimed by the worker with a lease, and its outcome
CREATE TABLE "command_batch_items" (
    "batch_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "quote_id" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "run_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" TEXT,
    "message" TEXT,
    "version" INTEGER,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "command_batch_items_pkey" PRIMARY KEY ("batch_id","position")
);

-- CreateIndex
CREATE UNIQUE INDEX "command_batches_requested_by_idempotency_key_key" ON "command_batches"("requested_by", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "command_batch_items_batch_id_quote_id_key" ON "command_batch_items"("batch_id", "quote_id");

-- CreateIndex
CREATE INDEX "command_batch_items_status_run_after_idx" ON "command_batch_items"("status", "run_after");

-- AddForeignKey
ALTER TABLE "command_batch_items" ADD CONSTRAINT "command_batch_items_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "command_batches"("id") ON DELETE CASCADE ON UPDATE CASCADE;
