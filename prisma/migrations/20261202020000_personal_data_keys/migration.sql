-- CreateTable
CREATE TABLE "quote_data_keys" (
    "quote_id" UUID NOT NULL,
    "wrapped_key" BYTEA NOT NULL,
    "kek_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rewrapped_at" TIMESTAMPTZ(3),

    CONSTRAINT "quote_data_keys_pkey" PRIMARY KEY ("quote_id")
);

-- CreateIndex
CREATE INDEX "quote_data_keys_kek_id_idx" ON "quote_data_keys"("kek_id");

-- AlterTable
ALTER TABLE "quote_details" ADD COLUMN "personal_data_erased" BOOLEAN NOT NULL DEFAULT false;

-- Read-model generations other than public were made as copies of public's tables: they get the column too. (The
-- block's semicolons are written \073, since the migration runner splits statements at every semicolon.)
DO E'DECLARE generation text\073 BEGIN FOR generation IN SELECT schema_name FROM public.read_model_generations WHERE schema_name <> ''public'' LOOP EXECUTE format(''ALTER TABLE %I.quote_details ADD COLUMN IF NOT EXISTS personal_data_erased boolean NOT NULL DEFAULT false'', generation)\073 END LOOP\073 END';
