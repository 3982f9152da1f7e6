import { i18next } from '../../i18n';
import type { Channel, CreateChannelBody } from '../../api/types';
import { CHANNEL_NAME_MAX, MAX_MANAGING_TEAMS } from '../../api/channels';

export type AccessLevel = 'public' | 'private';

/** What the channel form edits; `team_id` is null until the user picks one. */
export type ChannelFormValues = {
  name: string;
  description: string;
  team_id: string | null;
  managing_team_ids: string[];
  access: AccessLevel;
};

/** Server field names that this form shows under a differently named input. */
export const CHANNEL_FIELD_ALIASES = { private: 'access' } as const;

/** Keys of the `channels` namespace explaining each access level. */
export const ACCESS_EXPLANATION_KEYS: Record<AccessLevel, string> = {
  public: 'form.accessPublic',
  private: 'form.accessPrivate',
};

export function emptyChannelForm(defaultTeamId: string | null): ChannelFormValues {
  return { name: '', description: '', team_id: defaultTeamId, managing_team_ids: [], access: 'public' };
}

export function channelToForm(channel: Channel): ChannelFormValues {
  return {
    name: channel.name,
    description: channel.description,
    team_id: channel.team_id,
    managing_team_ids: channel.managing_team_ids,
    access: channel.private ? 'private' : 'public',
  };
}

/** Client-side checks mirroring the server's, so most mistakes are caught before a round trip. */
export const channelFormRules = {
  name: (value: string) => {
    const length = value.trim().length;
    if (length === 0) return i18next.t('channels:form.nameRequired');
    if (length > CHANNEL_NAME_MAX) return i18next.t('channels:form.nameTooLong', { count: CHANNEL_NAME_MAX });
    return null;
  },
  team_id: (value: string | null) => (value ? null : i18next.t('channels:form.teamRequired')),
  managing_team_ids: (value: string[]) => (value.length > MAX_MANAGING_TEAMS ? i18next.t('channels:form.tooManyTeams', { count: MAX_MANAGING_TEAMS }) : null),
};

/** The request body for the values; the owning team is never also listed as a managing team. */
export function formToChannelBody(values: ChannelFormValues): CreateChannelBody {
  const teamId = values.team_id ?? '';
  return {
    name: values.name.trim(),
    description: values.description.trim(),
    team_id: teamId,
    managing_team_ids: values.managing_team_ids.filter((id) => id !== teamId),
    private: values.access === 'private',
  };
}
