import { i18next } from '../../i18n';

/**
 * A rotation role as people read it: the two built-in roles are translated, a role a team named
 * itself ("dba", "secondary") is shown as written.
 */
export function roleLabel(role: string): string {
  if (role === 'primary' || role === 'backup') return i18next.t(`schedules:roles.${role}`);
  return role;
}
