-- Promotion with approval gates, and canary rollouts with their judged history.

-- CreateEnum
CREATE TYPE "PromotionStatus" AS ENUM ('pending', 'rejected', 'expired', 'cancelled', 'deploying', 'deployed', 'failed');

-- CreateEnum
CREATE TYPE "ApprovalDecision" AS ENUM ('approve', 'reject');

-- CreateEnum
CREATE TYPE "RolloutState" AS ENUM ('progressing', 'promoted', 'rolled-back', 'superseded');

-- CreateTable
CREATE TABLE "promotion_policies" (
    "tenant_id" UUID NOT NULL,
    "settings" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "promotion_policies_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "promotion_requests" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "model_name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "run_id" CHAR(32) NOT NULL,
    "storage_uri" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "requester_id" UUID NOT NULL,
    "requester_name" TEXT NOT NULL,
    "notes" TEXT NOT NULL,
    "model_card_url" TEXT NOT NULL,
    "gates" JSONB NOT NULL,
    "policy" JSONB NOT NULL,
    "required_approvals" INTEGER NOT NULL,
    "status" "PromotionStatus" NOT NULL DEFAULT 'pending',
    "deploy_step" TEXT,
    "deploy_error" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "promotion_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approvals" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "approver_id" UUID NOT NULL,
    "approver_name" TEXT NOT NULL,
    "decision" "ApprovalDecision" NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollouts" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "endpoint" TEXT NOT NULL,
    "promotion_request_id" UUID,
    "model_name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "storage_uri" TEXT NOT NULL,
    "previous_storage_uri" TEXT NOT NULL,
    "previous_version" TEXT,
    "steps" INTEGER[],
    "current_percent" INTEGER NOT NULL,
    "state" "RolloutState" NOT NULL DEFAULT 'progressing',
    "step_started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_judgment" JSONB,
    "last_checked_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rollouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_events" (
    "id" BIGSERIAL NOT NULL,
    "rollout_id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "values" JSONB NOT NULL,
    "idempotency_key" TEXT,

    CONSTRAINT "rollout_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "promotion_requests_tenant_id_status_idx" ON "promotion_requests"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "promotion_requests_status_expires_at_idx" ON "promotion_requests"("status", "expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "approvals_request_id_approver_id_key" ON "approvals"("request_id", "approver_id");

-- CreateIndex
CREATE UNIQUE INDEX "rollouts_promotion_request_id_key" ON "rollouts"("promotion_request_id");

-- CreateIndex
CREATE INDEX "rollouts_tenant_id_endpoint_state_idx" ON "rollouts"("tenant_id", "endpoint", "state");

-- CreateIndex
CREATE INDEX "rollouts_state_idx" ON "rollouts"("state");

-- CreateIndex
CREATE UNIQUE INDEX "rollout_events_idempotency_key_key" ON "rollout_events"("idempotency_key");

-- CreateIndex
CREATE INDEX "rollout_events_rollout_id_occurred_at_idx" ON "rollout_events"("rollout_id", "occurred_at");

-- AddForeignKey
ALTER TABLE "promotion_policies" ADD CONSTRAINT "promotion_policies_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_requester_id_fkey" FOREIGN KEY ("requester_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "promotion_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_approver_id_fkey" FOREIGN KEY ("approver_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_promotion_request_id_fkey" FOREIGN KEY ("promotion_request_id") REFERENCES "promotion_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_events" ADD CONSTRAINT "rollout_events_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Rollout history is evidence: append-only, like the audit log.
CREATE FUNCTION rollout_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rollout_events is append-only';
END;
$$;
CREATE TRIGGER rollout_events_append_only BEFORE UPDATE OR DELETE ON "rollout_events"
  FOR EACH ROW EXECUTE FUNCTION rollout_events_append_only();
