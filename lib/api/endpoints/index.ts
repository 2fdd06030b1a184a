import { listExperimentsEndpoint, listRunsEndpoint } from './experiments';
import { listModelsEndpoint, listModelVersionsEndpoint } from './models';
import { filePromotion, listPromotions, readPromotion } from './promotions';
import { readQuotaEndpoint } from './quota';
import {
  listRolloutsEndpoint,
  promoteEndpoint,
  readRolloutEndpoint,
  rollbackEndpoint,
  rollbackTargetsEndpoint,
  rollbackToVersionEndpoint,
} from './rollouts';
import type { Endpoint } from './shared';

/**
 * The endpoints of /api/v1, one file per area, each with what the OpenAPI document says about it
 * (lib/api/openapi.ts). A route file under app/api/v1 exports each endpoint's handler.
 */

export * from './experiments';
export * from './models';
export * from './promotions';
export * from './quota';
export * from './rollouts';
export * from './shared';

export const ENDPOINTS: readonly Endpoint[] = [
  filePromotion,
  listPromotions,
  readPromotion,
  listExperimentsEndpoint,
  listRunsEndpoint,
  listModelsEndpoint,
  listModelVersionsEndpoint,
  listRolloutsEndpoint,
  readRolloutEndpoint,
  rollbackEndpoint,
  promoteEndpoint,
  rollbackTargetsEndpoint,
  rollbackToVersionEndpoint,
  readQuotaEndpoint,
];
