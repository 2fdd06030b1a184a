-- The gates a deployment judges again just before it writes anything (the target endpoint's
-- platform health), kept from its latest attempt: a refusal at deploy time shows its evidence.
ALTER TABLE "promotion_requests" ADD COLUMN "deploy_gates" JSONB;
