-- Stored responses of StartQuote held access tokens in plain text, and records are short-lived: drop them all.
DELETE FROM "idempotency_records";

-- AlterTable
ALTER TABLE "idempotency_records" DROP CONSTRAINT "idempotency_records_pkey",
ADD COLUMN     "command_type" TEXT NOT NULL,
ADD COLUMN     "expires_at" TIMESTAMPTZ(3) NOT NULL,
ADD COLUMN     "fingerprint" TEXT NOT NULL,
ADD CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("scope", "key");

-- Fail closed: a user has no role unless one is granted.
ALTER TABLE "auth_users" ALTER COLUMN "role" DROP NOT NULL,
ALTER COLUMN "role" DROP DEFAULT;

-- CreateTable
CREATE TABLE "quote_access_tokens" (
    "token_hash" TEXT NOT NULL,
    "quote_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "quote_access_tokens_pkey" PRIMARY KEY ("token_hash")
);

-- Every existing token stays valid for a full idle period from now.
INSERT INTO "quote_access_tokens" ("token_hash", "quote_id", "kind", "created_at", "last_used_at")
SELECT "token_hash", "quote_id", 'device', "created_at", CURRENT_TIMESTAMP FROM "quote_access";

-- DropTable
DROP TABLE "quote_access";

-- CreateIndex
CREATE INDEX "quote_access_tokens_quote_id_idx" ON "quote_access_tokens"("quote_id");

-- CreateIndex
CREATE INDEX "idempotency_records_expires_at_idx" ON "idempotency_records"("expires_at");
