import type { StaffRole } from '@/providers/dataProvider';

export const staffRoles: { id: StaffRole; name: string }[] = [
  { id: 'admin', name: 'Admin' },
  { id: 'support', name: 'Support' },
  { id: 'finance', name: 'Finance' },
];
