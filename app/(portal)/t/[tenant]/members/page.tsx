import { AddMemberForm } from '@/components/members/add-member-form';
import { MemberRowControls } from '@/components/members/member-row-controls';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import { listMembers } from '@/lib/tenancy/service';
import { openTenantPage, type TenantPageProps } from '../tenant-page';

export const metadata = { title: 'Members' };

export default async function MembersPage({ params }: TenantPageProps) {
  const { user, tenant, may } = await openTenantPage(params, 'member.read');
  const members = await listMembers(tenant.name);
  const canManage = may('member.manage');
  return (
    <>
      <PageHeader
        title={`Members of ${tenant.displayName}`}
        description={
          <>
            Roles: viewer (read), member (request promotions, download artifacts), approver (approve others’ requests),
            admin (manage members and policies). Roles from identity-provider groups (
            <code>mlp:{tenant.name}:&lt;role&gt;</code>) are re-read at every sign-in and changed in the IdP. Nobody
            changes their own membership, and an approval counts only from someone who was approver before the request
            was filed.
          </>
        }
      />
      {canManage ? (
        <Card title="Add a member" className="mb-6">
          <AddMemberForm tenant={tenant.name} />
        </Card>
      ) : null}
      {members.length === 0 ? (
        <EmptyState title="No members yet">
          {canManage ? 'Add the first member above.' : 'A tenant admin or platform admin can add members.'}
        </EmptyState>
      ) : (
        <DataTable
          caption={`Members of ${tenant.name}`}
          columns={['User', 'Role', 'Granted by', ...(canManage ? ['Change'] : [])]}
        >
          {members.map((m) => (
            <tr key={m.userId} className={rowClass} data-testid={`member-${m.username}`}>
              <td className={cellClass}>
                <span className="font-medium">{m.username}</span>
                {m.name ? <span className="text-slate-600 dark:text-slate-400"> · {m.name}</span> : null}
              </td>
              <td className={cellClass}>{m.role}</td>
              <td className={cellClass}>
                <Badge tone={m.source === 'idp' ? 'info' : 'neutral'}>
                  {m.source === 'idp' ? 'IdP group' : 'portal admin'}
                </Badge>
              </td>
              {canManage ? (
                <td className={cellClass}>
                  {m.userId === user.id ? (
                    <span className="text-xs text-slate-600 dark:text-slate-400">
                      Your own role: another admin changes it
                    </span>
                  ) : m.source === 'portal' ? (
                    <MemberRowControls tenant={tenant.name} username={m.username} role={m.role} />
                  ) : (
                    <span className="text-xs text-slate-600 dark:text-slate-400">Change in the IdP</span>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
