-- AlterTable: the agent a quote is assigned to, and when it was referred (the referred queue's order). Nullable without
-- a default, so adding them rewrites no row.
ALTER TABLE "quote_details" ADD COLUMN     "assigned_to" TEXT;

-- AlterTable
ALTER TABLE "quote_summaries" ADD COLUMN     "assigned_to" TEXT,
ADD COLUMN     "referred_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "quote_summaries_assigned_to_idx" ON "quote_summaries"("assigned_to");

-- Quotes referred before the column existed: their referral time from the timeline (no quote was assigned yet).
UPDATE "quote_summaries" s SET "referred_at" = t.occurred_at FROM (SELECT quote_id, max(occurred_at) AS occurred_at FROM "quote_timeline" WHERE type IN ('QuoteReferred', 'QuoteReferredAutomatically') GROUP BY quote_id) t WHERE t.quote_id = s.quote_id;

-- Read-model generations other than public were made as copies of public's tables: they get the columns (and the
-- referral times) too. (The block's semicolons are written \073, since the migration runner splits statements at
-- every semicolon.)
DO E'DECLARE generation text\073 BEGIN FOR generation IN SELECT schema_name FROM public.read_model_generations WHERE schema_name <> ''public'' LOOP EXECUTE format(''ALTER TABLE %I.quote_details ADD COLUMN IF NOT EXISTS assigned_to text'', generation)\073 EXECUTE format(''ALTER TABLE %I.quote_summaries ADD COLUMN IF NOT EXISTS assigned_to text, ADD COLUMN IF NOT EXISTS referred_at timestamptz(3)'', generation)\073 EXECUTE format(''CREATE INDEX IF NOT EXISTS quote_summaries_assigned_to_idx ON %I.quote_summaries (assigned_to)'', generation)\073 EXECUTE format(''UPDATE %I.quote_summaries s SET referred_at = t.occurred_at FROM (SELECT quote_id, max(occurred_at) AS occurred_at FROM %I.quote_timeline WHERE type IN (''''QuoteReferred'''', ''''QuoteReferredAutomatically'''') GROUP BY quote_id) t WHERE t.quote_id = s.quote_id'', generation, generation)\073 END LOOP\073 END';
