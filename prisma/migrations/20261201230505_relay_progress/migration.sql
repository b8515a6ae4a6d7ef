-- DropIndex
DROP INDEX "events_published_at_position_idx";

-- CreateTable
CREATE TABLE "relay_progress" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "tx_id" xid8 NOT NULL,
    "position" BIGINT NOT NULL,
    "advanced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relay_progress_pkey" PRIMARY KEY ("id")
);

-- One row, started where the relay had got to: just before the first unpublished event in relay order (tx_id,
-- position), or after the last event when none is unpublished. Events marked one by one before stay marked.
ALTER TABLE "relay_progress" ADD CONSTRAINT "relay_progress_one_row" CHECK ("id" = 1);

INSERT INTO "relay_progress" ("id", "tx_id", "position")
SELECT 1, coalesce(last_published.tx_id, '0'::xid8), coalesce(last_published.position, 0)
FROM (SELECT 1) one
LEFT JOIN LATERAL (
  SELECT e.tx_id, e.position FROM "events" e
  WHERE NOT EXISTS (SELECT 1 FROM "events" u WHERE u.published_at IS NULL)
     OR (e.tx_id, e.position) < (SELECT u.tx_id, u.position FROM "events" u WHERE u.published_at IS NULL ORDER BY u.tx_id, u.position LIMIT 1)
  ORDER BY e.tx_id DESC, e.position DESC
  LIMIT 1
) last_published ON true;

-- What the relay has still to publish: after its progress, and not found on the topic by a reconcile.
CREATE VIEW "unpublished_events" AS
SELECT e."position", e."tx_id", e."event_id", e."stream_id", e."version", e."type", e."occurred_at"
FROM "events" e
JOIN "relay_progress" p ON p."id" = 1
WHERE e."published_at" IS NULL AND (e."tx_id", e."position") > (p."tx_id", p."position");
