-- Rollout actions write to the Kubernetes API outside any database transaction: the intent (an
-- `intent` event carrying the idempotency key) is committed first, the cluster is written, then
-- the outcome (`rollback`, `step`, `promote` or `failed`) is recorded naming its intent. An intent
-- without an outcome is an action still pending, which the worker finishes or reports. One
-- outcome per intent, whoever records it.
ALTER TABLE "rollout_events" ADD COLUMN "intent_id" BIGINT;
CREATE UNIQUE INDEX "rollout_events_intent_id_key" ON "rollout_events"("intent_id");
ALTER TABLE "rollout_events" ADD CONSTRAINT "rollout_events_intent_id_fkey" FOREIGN KEY ("intent_id") REFERENCES "rollout_events"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
