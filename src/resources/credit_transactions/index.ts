import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import type { RaRecord } from 'react-admin';
import { lazyPage } from '../lazyPage';

// Read-only for every role: entries are written by the ledger functions alone.
const resource = {
  list: lazyPage(() => import('./TransactionList'), 'TransactionList'),
  icon: ReceiptLongIcon,
  recordRepresentation: (record: RaRecord) => `#${record.id} ${record.type} ${record.delta}`,
};

export default resource;
