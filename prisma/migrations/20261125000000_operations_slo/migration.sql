-- Operations and SLO dashboards: the platform's alert thresholds and each endpoint's objectives.

-- CreateTable
CREATE TABLE "ops_thresholds" (
    "id" TEXT NOT NULL DEFAULT 'platform',
    "settings" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ops_thresholds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slo_definitions" (
    "tenant_id" UUID NOT NULL,
    "endpoint" VARCHAR(253) NOT NULL,
    "objectives" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slo_definitions_pkey" PRIMARY KEY ("tenant_id","endpoint")
);

-- AddForeignKey
ALTER TABLE "slo_definitions" ADD CONSTRAINT "slo_definitions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
