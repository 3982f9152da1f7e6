import { useTranslation } from 'react-i18next';
import { Input, MultiSelect, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ReactNode } from 'react';
import { IconLock, IconWorld } from '@tabler/icons-react';
import { CHANNEL_NAME_MAX, MAX_MANAGING_TEAMS } from '../../api/channels';
import { useTeams } from '../../api/teams';
import { useCurrentUser } from '../../app/guards';
import { NewTeamLink } from '../../components/NewTeamLink';
import { ACCESS_EXPLANATION_KEYS, type AccessLevel, type ChannelFormValues } from './channelFormModel';

interface ChannelFormFieldsProps {
  form: UseFormReturnType<ChannelFormValues>;
  /** Read-only display for people who may not manage the channel. */
  readOnly?: boolean;
  autoFocusName?: boolean;
}

/** Team options, the user's own teams first: they are the ones that can own a channel they manage. */
function useTeamOptions() {
  const me = useCurrentUser();
  const teams = useTeams();
  const { t } = useTranslation('channels');
  const myTeamIds = new Set(me.teams.map((team) => team.id));
  const mine = teams.items.filter((team) => myTeamIds.has(team.id));
  const others = teams.items.filter((team) => !myTeamIds.has(team.id));
  const toOption = (team: { id: string; name: string }) => ({ value: team.id, label: team.name });
  const grouped = [
    ...(mine.length ? [{ group: t('form.yourTeams'), items: mine.map(toOption) }] : []),
    ...(others.length ? [{ group: t('form.otherTeams'), items: others.map(toOption) }] : []),
  ];
  return { grouped, all: teams.items.map(toOption), loading: teams.isPending };
}

/** The inputs shared by "Create channel" and the channel's Settings tab. */
export function ChannelFormFields({ form, readOnly = false, autoFocusName = false }: ChannelFormFieldsProps) {
  const teams = useTeamOptions();
  const { t } = useTranslation('channels');
  const values = form.getValues();
  const managingOptions = teams.all.filter((option) => option.value !== values.team_id);
  const access = values.access;
  // Read-only inputs look filled so nobody mistakes them for a form they can change.
  const variant = readOnly ? 'filled' : 'default';

  return (
    <Stack>
      <TextInput
        label={t('form.name')}
        placeholder={t('form.namePlaceholder')}
        description={t('form.nameDescription')}
        required
        maxLength={CHANNEL_NAME_MAX}
        readOnly={readOnly}
        variant={variant}
        data-autofocus={autoFocusName || undefined}
        data-testid="channel-name-input"
        {...form.getInputProps('name')}
      />
      <Textarea
        label={t('form.description')}
        placeholder={t('form.descriptionPlaceholder')}
        autosize
        minRows={2}
        maxRows={6}
        readOnly={readOnly}
        variant={variant}
        data-testid="channel-description-input"
        {...form.getInputProps('description')}
      />
      <Select
        label={t('form.team')}
        description={
          <>
            {t('form.teamDescription')}{' '}
            {!readOnly && <NewTeamLink emphasise={!teams.loading && teams.all.length === 0} onCreated={(team) => form.setFieldValue('team_id', team.id)} />}
          </>
        }
        placeholder={teams.loading ? t('form.teamsLoading') : teams.all.length === 0 ? t('form.noTeamsYet') : t('form.chooseTeam')}
        data={teams.grouped}
        searchable
        required
        allowDeselect={false}
        nothingFoundMessage={teams.all.length === 0 ? t('form.noTeamsUseLink') : t('form.noTeamMatch')}
        readOnly={readOnly}
        variant={variant}
        data-testid="channel-team-select"
        {...form.getInputProps('team_id')}
      />
      <MultiSelect
        label={t('form.managingTeams')}
        description={t('form.managingTeamsDescription', { count: MAX_MANAGING_TEAMS })}
        placeholder={values.managing_team_ids.length ? undefined : t('form.optional')}
        data={managingOptions}
        maxValues={MAX_MANAGING_TEAMS}
        searchable
        clearable={!readOnly}
        readOnly={readOnly}
        variant={variant}
        data-testid="channel-managing-teams-select"
        {...form.getInputProps('managing_team_ids')}
      />
      <Input.Wrapper label={t('form.access')} labelElement="div" id="channel-access-level" error={form.errors.access ?? form.errors.private}>
        <Stack gap={6} mt={4}>
          <SegmentedControl
            aria-labelledby="channel-access-level-label"
            name="channel-access-level"
            data-testid="channel-access-control"
            readOnly={readOnly}
        variant={variant}
            fullWidth
            data={[
              { value: 'public', label: <AccessLabel icon={<IconWorld size={16} />} text={t('common:access.public')} testId="channel-access-public" /> },
              { value: 'private', label: <AccessLabel icon={<IconLock size={16} />} text={t('common:access.private')} testId="channel-access-private" /> },
            ]}
            {...form.getInputProps('access')}
            onChange={(value) => form.setFieldValue('access', value as AccessLevel)}
          />
          <Text size="xs" c="dimmed" data-testid="channel-access-explanation">
            {t(ACCESS_EXPLANATION_KEYS[access])}
          </Text>
        </Stack>
      </Input.Wrapper>
    </Stack>
  );
}

function AccessLabel({ icon, text, testId }: { icon: ReactNode; text: string; testId: string }) {
  return (
    <span data-testid={testId} style={{ display: 'inline-flex', alignItems: 'center', gap: 6, justifyContent: 'center' }}>
      {icon}
      {text}
    </span>
  );
}
