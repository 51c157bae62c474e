import { Link } from 'react-router-dom';
import { Typography } from '@mui/material';
import {
  useCreatePath,
  useGetMany,
  useRecordContext,
  useResourceDefinitions,
  type RaRecord,
} from 'react-admin';
import { customerLabel } from '@/resources/customers/customerName';

/** A customer or colleague by name and email, else the raw id (a record since deleted). */
function useRecordName(table: string, id: string): string | null {
  const reference =
    table === 'customers' ? 'customers' : table === 'staff' ? 'rpc/staff_directory' : null;
  const { data } = useGetMany(reference ?? 'customers', { ids: [id] }, { enabled: !!reference });
  const found = reference ? (data?.[0] as RaRecord | undefined) : undefined;
  if (!found) return null;
  return table === 'customers' ? customerLabel(found) : String(found.email);
}

/**
 * The audited record as a link to its page: customers, generations, feedback and config keys
 * open their show page, a ledger entry the ledger filtered to it, a staff member the staff
 * list; people are named by name and email. A table the reader has no page for stays text.
 */
export function AuditRecordLink(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const createPath = useCreatePath();
  const resources = useResourceDefinitions();
  const table = String(record?.table_name ?? '');
  const id = record?.record_id == null ? '' : String(record.record_id);
  const name = useRecordName(table, id);
  if (!id) return <Typography variant="body2">—</Typography>;
  const definition = resources[table];
  const text = name ?? id;
  let to: string | null = null;
  if (definition?.hasShow) to = createPath({ resource: table, id, type: 'show' });
  else if (definition?.hasEdit) to = createPath({ resource: table, id, type: 'edit' });
  else if (definition?.hasList && table === 'credit_transactions')
    to = `/credit_transactions?filter=${encodeURIComponent(JSON.stringify({ id: Number(id) }))}`;
  else if (definition?.hasList && table === 'staff')
    to = `/staff?filter=${encodeURIComponent(JSON.stringify({ q: name ?? id }))}`;
  if (!to)
    return (
      <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
        {text}
      </Typography>
    );
  return (
    <Link to={to} onClick={(e) => e.stopPropagation()} style={{ overflowWrap: 'anywhere' }}>
      {text}
    </Link>
  );
}
