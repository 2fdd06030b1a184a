import type { Column } from '@/components/ui/table';

/** A column header naming a compared version, e.g. "v4 (A)", its lower-case "v" kept in the upper-case header row. */
export function versionColumn(version: string, side: 'A' | 'B', numeric = false): Column {
  return { key: side, label: <span className="normal-case">{`v${version} (${side})`}</span>, numeric };
}
