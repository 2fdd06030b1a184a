'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import { saveOpsThresholds } from '@/lib/ops/thresholds-store';
import { opsThresholdsFormSchema } from '@/lib/ops/thresholds-form';

/** Platform admins change what the operations dashboard judges against; the store checks ranges, refuses a stale version and audits. */
export const updateOpsThresholdsAction = defineAction({
  name: 'ops.thresholds.update',
  input: opsThresholdsFormSchema,
  permission: () => ({ action: 'ops.thresholds.edit', resource: { kind: 'platform' } }),
  async run(user, { values, version }) {
    const saved = await saveOpsThresholds({ id: user.id, name: user.username }, values, version);
    revalidatePath('/ops');
    return {
      ok: true,
      message: `Thresholds saved (version ${saved.version}). Every row is judged against them from now on.`,
    };
  },
});
