import type { TokenScope } from '@/lib/auth/authorize';

/** What each scope lets a token do, in the words the token forms and lists use. */
export const SCOPE_LABELS: Record<TokenScope, string> = {
  'promotion.request': 'file promotion requests',
  'promotion.read': 'read promotion requests',
  'rollout.read': 'read rollouts and their judgment',
  'rollout.operate': 'promote and roll back canaries',
  'experiments.read': 'read experiments and runs',
  'models.read': 'read models and versions',
  'quota.read': 'read GPU quota',
};
