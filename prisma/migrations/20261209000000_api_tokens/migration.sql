-- API tokens for automation (/api/v1): a personal token acts for its owner (with the owner's
-- roles, narrowed to its scopes); a tenant service token acts for a pipeline, with its scopes
-- alone. Only the SHA-256 of the secret is kept; the secret is shown once, at creation, and a
-- short prefix of it stays visible so people can tell their tokens apart.
CREATE TYPE "ApiTokenKind" AS ENUM ('personal', 'service');

CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "kind" "ApiTokenKind" NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" CHAR(64) NOT NULL,
    "tenant_id" UUID NOT NULL,
    "owner_id" UUID,
    "scopes" TEXT[],
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_name" TEXT,
    "last_used_at" TIMESTAMPTZ(3),
    "created_by_id" UUID NOT NULL,
    "created_by_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id"),
    -- A personal token has an owner; a service token belongs to its tenant alone.
    CONSTRAINT "api_tokens_owner_check" CHECK (("kind" = 'personal') = ("owner_id" IS NOT NULL)),
    CONSTRAINT "api_tokens_secret_hash_check" CHECK ("secret_hash" ~ '^[0-9a-f]{64}$'),
    -- Prisma describes list columns as nullable; the check keeps every token scoped all the same.
    CONSTRAINT "api_tokens_scopes_check" CHECK ("scopes" IS NOT NULL AND cardinality("scopes") > 0)
);

CREATE UNIQUE INDEX "api_tokens_secret_hash_key" ON "api_tokens"("secret_hash");
CREATE INDEX "api_tokens_tenant_id_idx" ON "api_tokens"("tenant_id");
CREATE INDEX "api_tokens_owner_id_idx" ON "api_tokens"("owner_id");

ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
