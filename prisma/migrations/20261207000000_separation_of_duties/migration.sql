-- Separation of duties: since when each member holds the approver role, whether each approval
-- counts (and why), the policy version a request was judged against, and every policy change,
-- applied at once or proposed for a second admin.

-- AlterTable
ALTER TABLE "memberships" ADD COLUMN "approver_since" TIMESTAMPTZ(3);
-- Members who hold the role already have held it since they joined (the best that is known).
UPDATE "memberships" SET "approver_since" = "created_at" WHERE "role" IN ('approver', 'admin');

-- AlterTable
ALTER TABLE "promotion_requests" ADD COLUMN "policy_version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "approvals" ADD COLUMN "counts" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN "standing" TEXT NOT NULL DEFAULT '';

-- CreateEnum
CREATE TYPE "PolicyChangeStatus" AS ENUM ('applied', 'pending', 'accepted', 'rejected', 'superseded');

-- CreateTable
CREATE TABLE "policy_changes" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "base_version" INTEGER NOT NULL,
    "applied_version" INTEGER,
    "settings" JSONB NOT NULL,
    "weakenings" JSONB NOT NULL,
    "status" "PolicyChangeStatus" NOT NULL,
    "proposer_id" UUID,
    "proposer_name" TEXT NOT NULL,
    "decided_by_id" UUID,
    "decided_by_name" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "comment" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "policy_changes_tenant_id_status_idx" ON "policy_changes"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "policy_changes_tenant_id_created_at_idx" ON "policy_changes"("tenant_id", "created_at");

-- AddForeignKey
ALTER TABLE "policy_changes" ADD CONSTRAINT "policy_changes_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
