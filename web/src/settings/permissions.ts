import { useSession, type Role } from '../auth/session';

/**
 * Who may change each kind of setting: the roles the API itself accepts on the write (the screens hide
 * what the API would refuse). Locations and channels shape the whole network: admins only; carriers,
 * routing policies and the operations settings are ops' daily tuning: admins and ops.
 */
const EDITORS = {
  locations: ['admin'],
  channels: ['admin'],
  carriers: ['admin', 'ops'],
  routing: ['admin', 'ops'],
  operations: ['admin', 'ops'],
  imports: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type SettingsSection = keyof typeof EDITORS;

export function useCanEdit(section: SettingsSection): boolean {
  const role = useSession()?.user.role;
  return role !== undefined && (EDITORS[section] as readonly Role[]).includes(role);
}
