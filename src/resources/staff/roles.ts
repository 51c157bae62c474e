import type { StaffRole } from '@/providers/rpcTypes';

export const staffRoles: { id: StaffRole; name: string }[] = [
  { id: 'admin', name: 'Admin' },
  { id: 'support', name: 'Support' },
  { id: 'finance', name: 'Finance' },
];
