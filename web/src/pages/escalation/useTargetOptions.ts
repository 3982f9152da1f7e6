import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { i18next } from '../../i18n';
import { useProviders } from '../../api/notifications';
import { useSchedules } from '../../api/schedules';
import { useTeams } from '../../api/teams';
import { usePeople } from '../../api/users';

export interface Option {
  value: string;
  label: string;
}

/**
 * Everything a level can notify, as select options: people, teams, schedules (with the roles their
 * layers use), and group chats (provider configurations that deliver by webhook).
 */
export function useTargetOptions() {
  const people = usePeople();
  const teams = useTeams();
  const schedules = useSchedules();
  const providers = useProviders();
  const { t, i18n } = useTranslation('escalation');

  return useMemo(() => {
    const peopleOptions: Option[] = people.items.map((p) => ({ value: p.id, label: p.name }));
    const teamOptions: Option[] = teams.items.map((t) => ({ value: t.id, label: t.name }));
    const scheduleOptions: Option[] = schedules.items.map((s) => ({ value: s.id, label: s.name }));
    const groupChatOptions: Option[] = (providers.data ?? []).filter((p) => p.methods.includes('webhook')).map((p) => ({ value: p.id, label: p.enabled ? p.name : t('targets.disabled', { name: p.name }) }));
    const rolesBySchedule = new Map(schedules.items.map((s) => [s.id, [...new Set(s.layers.map((l) => l.role).filter((r): r is string => typeof r === 'string' && r !== ''))]]));
    return {
      people: peopleOptions,
      teams: teamOptions,
      schedules: scheduleOptions,
      groupChats: groupChatOptions,
      rolesOf: (scheduleId: string): string[] => rolesBySchedule.get(scheduleId) ?? [],
      loading: people.isPending || teams.isPending || schedules.isPending || providers.isPending,
    };
    // The language is a dependency: disabled group chats are labelled in it.
  }, [people.items, teams.items, schedules.items, providers.data, people.isPending, teams.isPending, schedules.isPending, providers.isPending, t, i18n.language]); // eslint-disable-line react-hooks/exhaustive-deps
}

export type TargetOptions = ReturnType<typeof useTargetOptions>;

/** Options with any selected id the lists do not hold (more than a page, or since deleted) kept visible. */
export function withSelected(options: Option[], selected: string[]): Option[] {
  const known = new Set(options.map((o) => o.value));
  return [...options, ...selected.filter((id) => !known.has(id)).map((id) => ({ value: id, label: i18next.t('escalation:targets.unknown', { id: `${id.slice(0, 8)}…` }) }))];
}
