import { Button, Checkbox, Group, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import type { CreateTeamBody, Team } from '../../api/types';
import { showServerError } from '../../lib/formErrors';
import { ResponsiveModal } from '../../components/ResponsiveModal';

type TeamFormValues = { name: string; description: string; join: boolean };

interface TeamFormModalProps {
  opened: boolean;
  onClose: () => void;
  /** The team to edit; absent when creating. */
  team?: Pick<Team, 'name' | 'description'>;
  saving: boolean;
  /** Saves; resolves on success, rejects with the API error. */
  onSave: (body: CreateTeamBody) => Promise<unknown>;
}

/** Create or rename a team. */
export function TeamFormModal({ opened, onClose, team, saving, onSave }: TeamFormModalProps) {
  const editing = team !== undefined;
  const form = useForm<TeamFormValues>({
    initialValues: { name: team?.name ?? '', description: team?.description ?? '', join: true },
    validate: { name: (value) => (value.trim() ? null : 'Enter a team name') },
  });

  // Opening the dialog again starts from the team's current values, not the last draft.
  useEffect(() => {
    if (opened) {
      form.setValues({ name: team?.name ?? '', description: team?.description ?? '', join: true });
      form.clearErrors();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reset only when the dialog opens
  }, [opened]);

  const submit = form.onSubmit((values) => {
    onSave({ name: values.name.trim(), description: values.description.trim(), ...(editing ? {} : { join: values.join }) }).then(
      () => onClose(),
      (error: unknown) => showServerError(form, error),
    );
  });

  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={editing ? 'Edit team' : 'Create team'}>
      <form onSubmit={submit} noValidate data-testid="team-form" aria-label={editing ? 'Edit team' : 'Create team'}>
        <Stack>
          <TextInput label="Team name" placeholder="e.g. Payments SRE" required data-autofocus data-testid="team-name-input" {...form.getInputProps('name')} />
          <Textarea
            label="Description"
            placeholder="What the team looks after"
            autosize
            minRows={2}
            data-testid="team-description-input"
            {...form.getInputProps('description')}
          />
          {!editing && (
            <Checkbox
              label="Add me to this team"
              description="Members see the team's private channels and schedules and can be paged through it."
              data-testid="team-join-checkbox"
              {...form.getInputProps('join', { type: 'checkbox' })}
            />
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving} data-testid="team-form-submit">
              {editing ? 'Save changes' : 'Create team'}
            </Button>
          </Group>
        </Stack>
      </form>
    </ResponsiveModal>
  );
}
