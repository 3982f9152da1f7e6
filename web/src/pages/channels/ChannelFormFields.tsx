import { Input, MultiSelect, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ReactNode } from 'react';
import { IconLock, IconWorld } from '@tabler/icons-react';
import { CHANNEL_NAME_MAX, MAX_MANAGING_TEAMS } from '../../api/channels';
import { useTeams } from '../../api/teams';
import { useCurrentUser } from '../../app/guards';
import { NewTeamLink } from '../../components/NewTeamLink';
import { ACCESS_EXPLANATIONS, type AccessLevel, type ChannelFormValues } from './channelFormModel';

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
  const myTeamIds = new Set(me.teams.map((team) => team.id));
  const mine = teams.items.filter((team) => myTeamIds.has(team.id));
  const others = teams.items.filter((team) => !myTeamIds.has(team.id));
  const toOption = (team: { id: string; name: string }) => ({ value: team.id, label: team.name });
  const grouped = [
    ...(mine.length ? [{ group: 'Your teams', items: mine.map(toOption) }] : []),
    ...(others.length ? [{ group: 'Other teams', items: others.map(toOption) }] : []),
  ];
  return { grouped, all: teams.items.map(toOption), loading: teams.isPending };
}

/** The inputs shared by "Create channel" and the channel's Settings tab. */
export function ChannelFormFields({ form, readOnly = false, autoFocusName = false }: ChannelFormFieldsProps) {
  const teams = useTeamOptions();
  const values = form.getValues();
  const managingOptions = teams.all.filter((option) => option.value !== values.team_id);
  const access = values.access;
  // Read-only inputs look filled so nobody mistakes them for a form they can change.
  const variant = readOnly ? 'filled' : 'default';

  return (
    <Stack>
      <TextInput
        label="Name"
        placeholder="e.g. Payment Center"
        description="A business line or component, like “Payments” or “MySQL”."
        required
        maxLength={CHANNEL_NAME_MAX}
        readOnly={readOnly}
        variant={variant}
        data-autofocus={autoFocusName || undefined}
        data-testid="channel-name-input"
        {...form.getInputProps('name')}
      />
      <Textarea
        label="Description"
        placeholder="What this channel covers and who to ask about it"
        autosize
        minRows={2}
        maxRows={6}
        readOnly={readOnly}
        variant={variant}
        data-testid="channel-description-input"
        {...form.getInputProps('description')}
      />
      <Select
        label="Management team"
        description={
          <>
            The channel's owner: only its members can change the channel's configuration. Pick a team you are a member of.{' '}
            {!readOnly && <NewTeamLink emphasise={!teams.loading && teams.all.length === 0} onCreated={(team) => form.setFieldValue('team_id', team.id)} />}
          </>
        }
        placeholder={teams.loading ? 'Loading teams…' : teams.all.length === 0 ? 'No teams yet: create one first' : 'Choose a team'}
        data={teams.grouped}
        searchable
        required
        allowDeselect={false}
        nothingFoundMessage={teams.all.length === 0 ? 'No teams yet: use “Create your first team” above' : 'No team with that name'}
        readOnly={readOnly}
        variant={variant}
        data-testid="channel-team-select"
        {...form.getInputProps('team_id')}
      />
      <MultiSelect
        label="Managing teams"
        description={`Up to ${MAX_MANAGING_TEAMS} more teams that may also change this channel.`}
        placeholder={values.managing_team_ids.length ? undefined : 'Optional'}
        data={managingOptions}
        maxValues={MAX_MANAGING_TEAMS}
        searchable
        clearable={!readOnly}
        readOnly={readOnly}
        variant={variant}
        data-testid="channel-managing-teams-select"
        {...form.getInputProps('managing_team_ids')}
      />
      <Input.Wrapper label="Access level" labelElement="div" id="channel-access-level" error={form.errors.access ?? form.errors.private}>
        <Stack gap={6} mt={4}>
          <SegmentedControl
            aria-labelledby="channel-access-level-label"
            name="channel-access-level"
            data-testid="channel-access-control"
            readOnly={readOnly}
        variant={variant}
            fullWidth
            data={[
              { value: 'public', label: <AccessLabel icon={<IconWorld size={16} />} text="Public" testId="channel-access-public" /> },
              { value: 'private', label: <AccessLabel icon={<IconLock size={16} />} text="Private" testId="channel-access-private" /> },
            ]}
            {...form.getInputProps('access')}
            onChange={(value) => form.setFieldValue('access', value as AccessLevel)}
          />
          <Text size="xs" c="dimmed" data-testid="channel-access-explanation">
            {ACCESS_EXPLANATIONS[access]}
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
