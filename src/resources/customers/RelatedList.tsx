import type { ReactNode } from 'react';
import { Datagrid, Pagination, ReferenceManyField } from 'react-admin';

const pagination = <Pagination rowsPerPageOptions={[10, 25, 50]} />;

/** One section of the customer page: that customer's rows of `reference`, paginated on its own. */
export function RelatedList({
  reference,
  sortField = 'created_at',
  rowClick = false,
  children,
}: {
  reference: string;
  sortField?: string;
  rowClick?: 'show' | false;
  children: ReactNode;
}) {
  return (
    <ReferenceManyField
      reference={reference}
      target="customer_id"
      sort={{ field: sortField, order: 'DESC' }}
      perPage={10}
      pagination={pagination}
    >
      <Datagrid bulkActionButtons={false} rowClick={rowClick}>
        {children}
      </Datagrid>
    </ReferenceManyField>
  );
}
