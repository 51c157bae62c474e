import type { StaffRole } from '@/providers/rpcTypes';

// Who may open which screen, answered once: App.tsx registers routes from this table, the
// menu lists it in this order (the daily order of work: people first, then money, then
// settings), and a role that may not open a screen is told who can. The database refuses
// the same people anyway (see the access matrix); this only keeps them from meeting a
// screen that can only fail for them. No components or icons here: App.tsx reads this
// before anyone has signed in, and it must stay small.

export const STAFF_ROLES = ['admin', 'support', 'finance'] as const satisfies readonly StaffRole[];
/** The roles that change customers and triage feedback (finance only reads). */
export const WRITER_ROLES = ['admin', 'support'] as const satisfies readonly StaffRole[];

type ResourceName =
  | 'customers'
  | 'generations'
  | 'feedback'
  | 'credit_transactions'
  | 'admin_audit'
  | 'generation_types'
  | 'runtime_config'
  | 'app_config'
  | 'staff'
  | 'admin_sessions';
type PageName = 'spend' | 'margin' | 'database-health';

interface ScreenBase {
  label: string;
  /** The roles that may open it. */
  roles: readonly StaffRole[];
}
export interface ResourceScreen extends ScreenBase {
  kind: 'resource';
  name: ResourceName;
  /** The roles that get its edit page, when narrower than `roles`. */
  editRoles?: readonly StaffRole[];
}
export interface PageScreen extends ScreenBase {
  kind: 'page';
  name: PageName;
}
export type Screen = ResourceScreen | PageScreen;

const everyone = STAFF_ROLES;
const admins = ['admin'] as const;

export const screens: readonly Screen[] = [
  { kind: 'page', name: 'spend', label: 'Provider spend', roles: ['admin', 'finance'] },
  { kind: 'page', name: 'margin', label: 'Margin', roles: ['admin', 'finance'] },
  {
    kind: 'resource',
    name: 'customers',
    label: 'Customers',
    roles: everyone,
    editRoles: WRITER_ROLES,
  },
  { kind: 'resource', name: 'generations', label: 'Generations', roles: everyone },
  {
    kind: 'resource',
    name: 'feedback',
    label: 'Feedback',
    roles: everyone,
    editRoles: WRITER_ROLES,
  },
  { kind: 'resource', name: 'credit_transactions', label: 'Credit ledger', roles: everyone },
  { kind: 'resource', name: 'admin_audit', label: 'Audit trail', roles: everyone },
  { kind: 'resource', name: 'generation_types', label: 'Generation prices', roles: admins },
  { kind: 'resource', name: 'runtime_config', label: 'Runtime config', roles: admins },
  { kind: 'resource', name: 'app_config', label: 'App config', roles: admins },
  { kind: 'resource', name: 'staff', label: 'Staff', roles: admins },
  { kind: 'resource', name: 'admin_sessions', label: 'Admin sessions', roles: admins },
  { kind: 'page', name: 'database-health', label: 'Database health', roles: admins },
];

/** The address a screen lives at: a resource's list, or the page's own route. */
export const screenPath = (screen: Screen) => `/${screen.name}`;

export const canOpen = (role: StaffRole | null | undefined, screen: Screen): boolean =>
  role != null && screen.roles.includes(role);

export const canEdit = (role: StaffRole | null | undefined, screen: ResourceScreen): boolean =>
  canOpen(role, screen) && (screen.editRoles ?? screen.roles).includes(role as StaffRole);

/** The screens a role may open, in menu order. */
export const screensFor = (role: StaffRole | null | undefined) =>
  screens.filter((screen) => canOpen(role, screen));
