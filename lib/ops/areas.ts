/**
 * The operations dashboard's areas (PRODUCT.md capability 6) and their names for people. Without
 * zod, so the board's client code can import them without shipping it.
 */

export const OPS_AREAS = [
  'pipelines',
  'training',
  'registry',
  'serving',
  'canary',
  'infrastructure',
  'health',
] as const;
export type OpsArea = (typeof OPS_AREAS)[number];

/** For people. */
export const OPS_AREA_LABELS: Record<OpsArea, string> = {
  pipelines: 'Pipelines',
  training: 'Training',
  registry: 'Registry',
  serving: 'Serving',
  canary: 'Canary',
  infrastructure: 'Infrastructure',
  health: 'Platform health',
};

/**
 * The areas judged against a threshold platform admins set. Platform health is judged by its
 * findings' severities (lib/ops/health.ts), which the checks decide.
 */
export const OPS_THRESHOLD_AREAS = OPS_AREAS.filter((area) => area !== 'health');
