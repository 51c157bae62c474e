import { Pagination, useListContext, type PaginationProps } from 'react-admin';
import type { EstimatedTotalMeta } from '@/providers/listCounts';
import { formatInt } from './format';

/**
 * The pager of every list. When the provider could only estimate the total (a large table,
 * see listCounts.ts) it says "about N" and pages by whether rows remain, never by the estimate.
 */
export function ListPagination(props: PaginationProps) {
  const { meta } = useListContext();
  const estimate = (meta as EstimatedTotalMeta | undefined)?.estimatedTotal;
  if (estimate == null) return <Pagination {...props} />;
  // Material UI's TablePagination takes the label; react-admin passes its extra props on.
  const label = {
    labelDisplayedRows: ({ from, to }: { from: number; to: number }) =>
      `${formatInt(from)}–${formatInt(to)} of about ${formatInt(Math.max(estimate, to))}`,
  };
  return <Pagination {...props} {...(label as object)} />;
}
