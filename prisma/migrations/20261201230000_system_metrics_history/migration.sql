-- AlterTable
ALTER TABLE "worker_heartbeats" ADD COLUMN     "roles" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "system_samples" (
    "id" BIGSERIAL NOT NULL,
    "worker_id" TEXT NOT NULL,
    "sampled_at" TIMESTAMPTZ(3) NOT NULL,
    "relay_backlog" INTEGER NOT NULL,
    "projection_lag_events" INTEGER NOT NULL,
    "projection_lag_seconds" DOUBLE PRECISION NOT NULL,
    "dead_letters_parked" INTEGER NOT NULL,

    CONSTRAINT "system_samples_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "command_metric_minutes" (
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "process_id" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "duration_sum_seconds" DOUBLE PRECISION NOT NULL,
    "buckets" INTEGER[],

    CONSTRAINT "command_metric_minutes_pkey" PRIMARY KEY ("minute","process_id")
);

-- CreateIndex
CREATE INDEX "system_samples_sampled_at_idx" ON "system_samples"("sampled_at");

-- CreateIndex
CREATE INDEX "command_metric_minutes_minute_idx" ON "command_metric_minutes"("minute");
