-- AlterTable: the W3C traceparent of the append (null when tracing is off). Nullable without a default, so adding
-- it rewrites no row.
ALTER TABLE "events" ADD COLUMN     "trace_context" TEXT;
