import { buttonClass, inputClass } from '@/components/ui/styles';
import type { VersionOption } from '@/lib/models/compare';

function optionLabel({ version, aliases }: VersionOption): string {
  return aliases.length > 0 ? `v${version} (${aliases.join(', ')})` : `v${version}`;
}

/**
 * The two versions to compare: a GET form, so the pair lives in the URL (deep-linkable) and works
 * without JavaScript; the "differences only" switch is kept across a new choice.
 */
export function VersionPairForm({
  path,
  versions,
  a,
  b,
  differencesOnly,
}: {
  path: string;
  /** Newest first. */
  versions: readonly VersionOption[];
  a?: string;
  b?: string;
  differencesOnly: boolean;
}) {
  const select = (id: string, name: 'a' | 'b', label: string, value: string | undefined) => (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value} className={`${inputClass} min-w-48`}>
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            {optionLabel(v)}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form
      method="get"
      action={path}
      aria-label="Choose the versions to compare"
      className="mb-6 flex flex-wrap items-end gap-3"
    >
      {select('compare-a', 'a', 'Version A (baseline)', a)}
      {select('compare-b', 'b', 'Version B (compared with A)', b)}
      {differencesOnly ? <input type="hidden" name="diff" value="1" /> : null}
      <button type="submit" className={buttonClass.secondary}>
        Compare
      </button>
    </form>
  );
}
