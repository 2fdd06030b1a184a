-- Where a promotion request came from: the API token it was filed with (null: the browser), and
-- for a pipeline the run that filed it (e.g. an Argo Workflow's name). Only a service token may
-- name a pipeline, so a request that names one always names its token too. Tokens are never
-- deleted while their tenant exists (revoked ones stay as evidence).
ALTER TABLE "promotion_requests" ADD COLUMN "filed_via_token_id" UUID;
ALTER TABLE "promotion_requests" ADD COLUMN "pipeline" TEXT;
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_pipeline_check"
    CHECK ("pipeline" IS NULL OR ("filed_via_token_id" IS NOT NULL AND length("pipeline") BETWEEN 1 AND 253));
CREATE INDEX "promotion_requests_filed_via_token_id_idx" ON "promotion_requests"("filed_via_token_id");
ALTER TABLE "promotion_requests" ADD CONSTRAINT "promotion_requests_filed_via_token_id_fkey" FOREIGN KEY ("filed_via_token_id") REFERENCES "api_tokens"("id") ON DELETE NO ACTION ON UPDATE CASCADE;
