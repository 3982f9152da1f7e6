import { Button, Group, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconUserPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAddTeamMember } from '../../api/teams';
import type { TeamMember } from '../../api/types';
import { usePeople } from '../../api/users';
import { errorMessage, notifySuccess } from '../../lib/notify';

interface AddMemberFormProps {
  teamId: string;
  members: TeamMember[];
}

/** Pick a person (searched on the server, so large directories work) and add them to the team. */
export function AddMemberForm({ teamId, members }: AddMemberFormProps) {
  const { t } = useTranslation('teams');
  const [personId, setPersonId] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search, 250);
  const [error, setError] = useState<string | null>(null);
  const people = usePeople(debouncedSearch);
  const addMember = useAddTeamMember(teamId);

  const memberIds = new Set(members.map((member) => member.id));
  const options = people.items
    .filter((person) => !memberIds.has(person.id) && person.status === 'active')
    .map((person) => ({ value: person.id, label: `${person.name} <${person.email}>` }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!personId) {
      setError(t('addMember.required'));
      return;
    }
    addMember.mutate(personId, {
      onSuccess: () => {
        const added = options.find((option) => option.value === personId);
        notifySuccess(t('addMember.added', { name: added?.label.split(' <')[0] ?? t('addMember.person') }));
        setPersonId(null);
        setSearch('');
        setError(null);
      },
      onError: (cause) => setError(errorMessage(cause)),
    });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="add-member-form" aria-label={t('addMember.submit')}>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <Select
          aria-label={t('addMember.person')}
          placeholder={t('addMember.placeholder')}
          data={options}
          value={personId}
          onChange={(value) => {
            setPersonId(value);
            setError(null);
          }}
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options: all }) => all}
          nothingFoundMessage={people.isFetching ? t('addMember.searching') : t('addMember.noMatch')}
          error={error}
          style={{ flex: '1 1 280px' }}
          data-testid="add-member-select"
        />
        <Button type="submit" leftSection={<IconUserPlus size={16} />} loading={addMember.isPending} data-testid="add-member-submit">
          {t('addMember.submit')}
        </Button>
      </Group>
    </form>
  );
}
