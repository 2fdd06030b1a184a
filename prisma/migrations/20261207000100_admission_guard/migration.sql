-- The admission guard: each break-glass change to a tenant's InferenceService (made outside the
-- portal and let through by the ValidatingAdmissionPolicy), recorded once as the worker sees it.

-- CreateTable
CREATE TABLE "break_glass_changes" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID NOT NULL,
    "endpoint" VARCHAR(253) NOT NULL,
    "uid" TEXT NOT NULL,
    "declared_at" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "generation" INTEGER,
    "storage_uri" TEXT,
    "canary_traffic_percent" INTEGER,
    "model_version" TEXT,
    "observed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "break_glass_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "break_glass_changes_uid_declared_at_key" ON "break_glass_changes"("uid", "declared_at");

-- CreateIndex
CREATE INDEX "break_glass_changes_tenant_id_endpoint_observed_at_idx" ON "break_glass_changes"("tenant_id", "endpoint", "observed_at");

-- AddForeignKey
ALTER TABLE "break_glass_changes" ADD CONSTRAINT "break_glass_changes_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
