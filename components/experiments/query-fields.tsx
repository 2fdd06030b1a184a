import { firstPage, runsQueryString, type RunsQuery } from '@/lib/experiments/runs-query';

/** Hidden inputs that carry the rest of the runs query through a GET form that changes one part of it. */
export function QueryFields({ query, omit }: { query: RunsQuery; omit: string[] }) {
  const params = [...new URLSearchParams(runsQueryString(firstPage(query))).entries()].filter(
    ([name]) => !omit.includes(name),
  );
  return params.map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
}
