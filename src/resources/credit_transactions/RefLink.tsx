import { Link } from 'react-router-dom';
import { useCreatePath, useRecordContext } from 'react-admin';

/** The entry's reference: a link to the generation it refunds or charges, else the raw ref. */
export function RefLink(_props: { source?: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const createPath = useCreatePath();
  if (!record?.ref_id) return null;
  if (record.ref_type === 'generation') {
    return (
      <Link
        to={createPath({ resource: 'generations', id: String(record.ref_id), type: 'show' })}
        onClick={(e) => e.stopPropagation()}
      >
        generation {String(record.ref_id)}
      </Link>
    );
  }
  return (
    <span>
      {String(record.ref_type ?? 'ref')} {String(record.ref_id)}
    </span>
  );
}
