import { Button, Checkbox, Group, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('teams');
  const editing = team !== undefined;
  const form = useForm<TeamFormValues>({
    initialValues: { name: team?.name ?? '', description: team?.description ?? '', join: true },
    validate: { name: (value) => (value.trim() ? null : t('form.nameRequired')) },
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
    <ResponsiveModal opened={opened} onClose={onClose} title={editing ? t('form.editTitle') : t('create')}>
      <form onSubmit={submit} noValidate data-testid="team-form" aria-label={editing ? t('form.editTitle') : t('create')}>
        <Stack>
          <TextInput label={t('form.name')} placeholder={t('form.namePlaceholder')} required data-autofocus data-testid="team-name-input" {...form.getInputProps('name')} />
          <Textarea
            label={t('form.description')}
            placeholder={t('form.descriptionPlaceholder')}
            autosize
            minRows={2}
            data-testid="team-description-input"
            {...form.getInputProps('description')}
          />
          {!editing && (
            <Checkbox
              label={t('form.join')}
              description={t('form.joinHelp')}
              data-testid="team-join-checkbox"
              {...form.getInputProps('join', { type: 'checkbox' })}
            />
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={saving} data-testid="team-form-submit">
              {editing ? t('form.save') : t('create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </ResponsiveModal>
  );
}
