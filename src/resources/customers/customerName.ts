import type { RaRecord } from 'react-admin';

/** How a customer is named everywhere: display name, else full name, else email, else id. */
export function customerName(record: RaRecord): string {
  const full = [record.first_name, record.last_name].filter(Boolean).join(' ');
  return String(record.display_name || full || record.email || record.id);
}

/**
 * Name and email, so two "Sofia K." are told apart (titles, pickers, references): the email
 * alone when it is all there is.
 */
export function customerLabel(record: RaRecord): string {
  const name = customerName(record);
  return record.email && record.email !== name ? `${name} <${record.email}>` : name;
}
