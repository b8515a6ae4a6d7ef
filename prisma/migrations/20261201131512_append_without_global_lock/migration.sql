-- AlterTable
ALTER TABLE "events" ADD COLUMN     "tx_id" xid8 NOT NULL DEFAULT pg_current_xact_id();

-- CreateIndex
CREATE INDEX "events_tx_id_position_idx" ON "events"("tx_id", "position");
