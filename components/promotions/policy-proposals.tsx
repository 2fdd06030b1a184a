'use client';

import { useState } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormStatus } from '@/components/ui/form-status';
import type { ActionResult } from '@/lib/actions/define-action';
import { acceptPolicyProposalAction, rejectPolicyProposalAction } from './policy-actions';
import { Time } from '@/components/ui/time';

export interface ProposalView {
  id: string;
  proposerName: string;
  /** Whether the viewer made it: a proposer may withdraw, never accept. */
  ownProposal: boolean;
  createdAt: string;
  baseVersion: number;
  weakenings: string[];
}

/** Policy changes that weaken a gate, waiting for a second admin (never the proposer). */
export function PolicyProposals({
  tenant,
  proposals,
  mayDecide,
}: {
  tenant: string;
  proposals: readonly ProposalView[];
  mayDecide: boolean;
}) {
  return (
    <ul className="space-y-4" aria-label="Proposed policy changes">
      {proposals.map((p) => (
        <ProposalItem key={p.id} tenant={tenant} proposal={p} mayDecide={mayDecide} />
      ))}
    </ul>
  );
}

function ProposalItem({ tenant, proposal, mayDecide }: { tenant: string; proposal: ProposalView; mayDecide: boolean }) {
  const [state, setState] = useState<ActionResult | null>(null);
  return (
    <li className="rounded-md border border-amber-300 p-4 text-sm dark:border-amber-700" data-testid="policy-proposal">
      <p>
        <strong>{proposal.proposerName}</strong> proposed on <Time at={proposal.createdAt} /> (from version{' '}
        {proposal.baseVersion}) a change that weakens:
      </p>
      <ul className="ml-5 mt-1 list-disc">
        {proposal.weakenings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
      {mayDecide && state?.ok !== true ? (
        <div className="mt-3 flex flex-wrap items-center gap-2">
          {proposal.ownProposal ? (
            <p>You proposed it: another admin of the tenant or a platform admin must accept it.</p>
          ) : (
            <ConfirmButton
              label="Accept"
              tone="primary"
              title="Accept this weaker policy?"
              confirmLabel="Accept and apply"
              onConfirm={async () =>
                setState(await acceptPolicyProposalAction(null, { tenant, proposalId: proposal.id }))
              }
            >
              The policy changes at once for every request filed from now on: {proposal.weakenings.join('; ')}.
            </ConfirmButton>
          )}
          <ConfirmButton
            label={proposal.ownProposal ? 'Withdraw' : 'Reject'}
            title={proposal.ownProposal ? 'Withdraw your proposal?' : 'Reject this proposal?'}
            confirmLabel={proposal.ownProposal ? 'Withdraw' : 'Reject'}
            onConfirm={async () =>
              setState(await rejectPolicyProposalAction(null, { tenant, proposalId: proposal.id, comment: '' }))
            }
          >
            The policy stays as it is.
          </ConfirmButton>
        </div>
      ) : null}
      <FormStatus state={state} />
    </li>
  );
}
