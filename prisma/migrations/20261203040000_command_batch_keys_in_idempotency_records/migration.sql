-- A bulk decision's Idempotency-Key is kept in idempotency_records, which expire, like every other command's
DROP INDEX "command_batches_requested_by_idempotency_key_key";
ALTER TABLE "command_batches" DROP COLUMN "idempotency_key", DROP COLUMN "request_fingerprint";
