import { Badge, type BadgeTone } from '@/components/ui/badge';

const ALIAS_TONE: Record<string, BadgeTone> = { champion: 'good', challenger: 'info' };

/** Aliases as badges, e.g. "champion v4"; the version is left out where the row already says it. */
export function AliasBadges({ aliases }: { aliases: readonly { alias: string; version?: string }[] }) {
  if (aliases.length === 0) return <span className="text-slate-600 dark:text-slate-400">none</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Aliases">
      {aliases.map(({ alias, version }) => (
        <li key={alias}>
          <Badge tone={ALIAS_TONE[alias] ?? 'neutral'}>{version ? `${alias} v${version}` : alias}</Badge>
        </li>
      ))}
    </ul>
  );
}
