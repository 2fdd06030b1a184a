-- Tenant provisioning: the quota asked for at creation, a lease for the run under way, and each
-- provisioning step's progress (what the admin page shows and "Retry" finishes).

-- CreateEnum
CREATE TYPE "ProvisioningOperation" AS ENUM ('provision', 'archive');

-- CreateEnum
CREATE TYPE "ProvisioningStepState" AS ENUM ('pending', 'running', 'done', 'failed');

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN "quota_request" JSONB,
ADD COLUMN "run_started_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "tenant_provisioning_steps" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "step" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "operation" "ProvisioningOperation" NOT NULL,
    "state" "ProvisioningStepState" NOT NULL DEFAULT 'pending',
    "detail" TEXT,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenant_provisioning_steps_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tenant_provisioning_steps_tenant_id_step_key" ON "tenant_provisioning_steps"("tenant_id", "step");

-- AddForeignKey
ALTER TABLE "tenant_provisioning_steps" ADD CONSTRAINT "tenant_provisioning_steps_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
