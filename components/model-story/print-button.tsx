'use client';

import { buttonClass } from '@/components/ui/styles';

/** Opens the browser's print dialog (the page's print styles leave out navigation and buttons). */
export function PrintButton() {
  return (
    <button type="button" className={`${buttonClass.secondary} print:hidden`} onClick={() => window.print()}>
      Print
    </button>
  );
}
