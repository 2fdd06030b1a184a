import type { AuditRef } from '@/lib/model-story/evidence';

/** An event's audit-log row: its id and hash (the previous hash is in the audit rows' table). */
export function AuditRefCell({ audit, missing = 'not audited' }: { audit: AuditRef | null; missing?: string }) {
  if (!audit) return <span className="text-slate-600 dark:text-slate-400">{missing}</span>;
  return (
    <span className="font-mono text-xs break-all" data-testid="audit-ref" data-audit-id={audit.id}>
      #{audit.id} {audit.hash}
    </span>
  );
}
