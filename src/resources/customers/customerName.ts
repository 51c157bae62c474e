import type { RaRecord } from 'react-admin';

/** How a customer is named everywhere: display name, else full name, else email, else id. */
export function customerName(record: RaRecord): string {
  const full = [record.first_name, record.last_name].filter(Boolean).join(' ');
  return String(record.display_name || full || record.email || record.id);
}
