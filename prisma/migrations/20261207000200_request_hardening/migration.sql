-- Request hardening: idempotency keys scoped to their rollout and action, shared rate-limit
-- counters, and per-address/minute counts of anonymous server-action calls.

-- A key is unique within its rollout only (it was global, so one tenant's key answered another
-- tenant's call), and remembers the action it was used for.
DROP INDEX "rollout_events_idempotency_key_key";
ALTER TABLE "rollout_events" ADD COLUMN "idempotency_action" TEXT;
CREATE UNIQUE INDEX "rollout_events_rollout_id_idempotency_key_key" ON "rollout_events"("rollout_id", "idempotency_key");

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "anonymous_refusals" (
    "source_address" VARCHAR(64) NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "actions" JSONB NOT NULL,

    CONSTRAINT "anonymous_refusals_pkey" PRIMARY KEY ("source_address","minute")
);

-- CreateIndex
CREATE INDEX "anonymous_refusals_minute_idx" ON "anonymous_refusals"("minute");
