-- AlterTable: the moment a submitted quote expires, and what the underwriting rules decided at submission. Nullable
-- without a default, so adding them rewrites no row. The projection fills them from the events.
ALTER TABLE "quote_details" ADD COLUMN     "expires_at" TEXT,
ADD COLUMN     "underwriting" JSONB;
