import Link from 'next/link';
import { buttonClass } from './styles';

/**
 * Paging through a list the upstream hands out in pages with a next-page token: back to the first
 * page (when not on it) and on to the next (when there is one). Nothing when neither applies.
 */
export function PageLinks({
  label,
  firstHref,
  nextHref,
  nextLabel = 'Next',
}: {
  label: string;
  firstHref?: string;
  nextHref?: string;
  nextLabel?: string;
}) {
  if (!firstHref && !nextHref) return null;
  return (
    <nav aria-label={label} className="mt-4 flex gap-2">
      {firstHref ? (
        <Link href={firstHref} className={buttonClass.secondary}>
          First page
        </Link>
      ) : null}
      {nextHref ? (
        <Link href={nextHref} className={buttonClass.secondary} rel="next">
          {nextLabel}
        </Link>
      ) : null}
    </nav>
  );
}
