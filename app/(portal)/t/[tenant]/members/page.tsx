import { AddMemberForm } from '@/components/members/add-member-form';
import { MemberRowControls } from '@/components/members/member-row-controls';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/authorize';
import { requireTenant } from '@/lib/auth/session';
import { listMembers } from '@/lib/tenancy/service';
import { addMemberAction, changeRoleAction, removeMemberAction } from './actions';

export const metadata = { title: 'Members' };

export default async function MembersPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant: name } = await params;
  const { user, tenant } = await requireTenant(name, 'member.read');
  const members = await listMembers(tenant.name);
  const canManage = can(user, 'member.manage', { kind: 'tenant', tenant: tenant.name, status: tenant.status });
  return (
    <>
      <PageHeader
        title={`Members of ${tenant.displayName}`}
        description={
          <>
            Roles: viewer (read), member (request promotions, download artifacts), approver (approve others’ requests), admin (manage
            members and policies). Roles from identity-provider groups (<code>mlp:{tenant.name}:&lt;role&gt;</code>) are re-read at every
            sign-in and changed in the IdP.
          </>
        }
      />
      {canManage ? (
        <Card title="Add a member" className="mb-6">
          <AddMemberForm tenant={tenant.name} action={addMemberAction} />
        </Card>
      ) : null}
      {members.length === 0 ? (
        <EmptyState title="No members yet">
          {canManage ? 'Add the first member above.' : 'A tenant admin or platform admin can add members.'}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Members of {tenant.name}</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
              <tr>
                <th scope="col" className="px-3 py-2">User</th>
                <th scope="col" className="px-3 py-2">Role</th>
                <th scope="col" className="px-3 py-2">Granted by</th>
                {canManage ? <th scope="col" className="px-3 py-2">Change</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.userId} className="border-b border-slate-100 last:border-0 dark:border-slate-800" data-testid={`member-${m.username}`}>
                  <td className="px-3 py-2">
                    <span className="font-medium">{m.username}</span>
                    {m.name ? <span className="text-slate-600 dark:text-slate-400"> · {m.name}</span> : null}
                  </td>
                  <td className="px-3 py-2">{m.role}</td>
                  <td className="px-3 py-2">
                    <Badge tone={m.source === 'idp' ? 'info' : 'neutral'}>{m.source === 'idp' ? 'IdP group' : 'portal admin'}</Badge>
                  </td>
                  {canManage ? (
                    <td className="px-3 py-2">
                      {m.source === 'portal' ? (
                        <MemberRowControls tenant={tenant.name} username={m.username} role={m.role} changeRole={changeRoleAction} remove={removeMemberAction} />
                      ) : (
                        <span className="text-xs text-slate-600 dark:text-slate-400">Change in the IdP</span>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
