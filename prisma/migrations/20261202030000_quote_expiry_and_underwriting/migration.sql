-- AlterTable: the moment a submitted quote expires, and what the underwriting rules decided at submission. Nullable
-- without a default, so adding them rewrites no row. The projection fills them from the events.
ALTER TABLE "quote_details" ADD COLUMN     "expires_at" TEXT,
ADD COLUMN     "underwriting" JSONB;

-- Read-model generations other than public were made as copies of public's tables: they get the columns too. (The
-- block's semicolons are written \073, since the migration runner splits statements at every semicolon.)
DO E'DECLARE generation text\073 BEGIN FOR generation IN SELECT schema_name FROM public.read_model_generations WHERE schema_name <> ''public'' LOOP EXECUTE format(''ALTER TABLE %I.quote_details ADD COLUMN IF NOT EXISTS expires_at text, ADD COLUMN IF NOT EXISTS underwriting jsonb'', generation)\073 END LOOP\073 END';
