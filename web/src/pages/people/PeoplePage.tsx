import { ActionIcon, Button, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconEdit, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Person } from '../../api/types';
import { usePeople } from '../../api/users';
import { isAdmin, useCurrentUser } from '../../app/guards';
import { PersonStatusBadge, RoleBadge } from '../../components/Badges';
import { ErrorState } from '../../components/ErrorState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { SearchInput } from '../../components/SearchInput';
import { TableSkeleton } from '../../components/TableSkeleton';
import { RelativeTime } from '../../components/RelativeTime';
import { CreatePersonModal } from './CreatePersonModal';
import { EditPersonModal } from './EditPersonModal';

export function PeoplePage() {
  const { t } = useTranslation('people');
  const me = useCurrentUser();
  const admin = isAdmin(me);
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const people = usePeople(debouncedSearch);
  const [createOpened, createModal] = useDisclosure(false);
  const [editing, setEditing] = useState<Person | null>(null);
  const columns = [t('columns.name'), t('columns.role'), t('columns.status'), t('columns.phone'), t('columns.added'), ...(admin ? [''] : [])];

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          admin && (
            <Button leftSection={<IconUserPlus size={16} />} onClick={createModal.open} data-testid="create-person-button">
              {t('add')}
            </Button>
          )
        }
      />
      <Stack gap="md">
        <SearchInput value={search} onChange={setSearch} label={t('search')} placeholder={t('searchPlaceholder')} />
        {people.isError ? (
          <ErrorState error={people.error} onRetry={() => void people.refetch()} />
        ) : (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={720} type="native">
              <Table data-testid="people-table">
                <Table.Thead>
                  <Table.Tr>
                    {columns.map((column, index) => (
                      <Table.Th key={index}>{column}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                {people.isPending ? (
                  <TableSkeleton columns={columns.length} />
                ) : (
                  <Table.Tbody>
                    {people.items.map((person) => (
                      <Table.Tr key={person.id} data-testid="person-row" data-person-id={person.id}>
                        <Table.Td>
                          <Text size="sm" fw={600}>
                            {person.name}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {person.email}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <RoleBadge role={person.role} />
                        </Table.Td>
                        <Table.Td>
                          <PersonStatusBadge status={person.status} />
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" c={person.phone ? undefined : 'dimmed'}>
                            {person.phone ?? '—'}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <RelativeTime ms={person.created_at} />
                        </Table.Td>
                        {admin && (
                          <Table.Td w={60}>
                            <Tooltip label={t('editNamed', { name: person.name })}>
                              <ActionIcon variant="subtle" aria-label={t('editNamed', { name: person.name })} onClick={() => setEditing(person)}>
                                <IconEdit size={16} />
                              </ActionIcon>
                            </Tooltip>
                          </Table.Td>
                        )}
                      </Table.Tr>
                    ))}
                    {people.items.length === 0 && (
                      <Table.Tr>
                        <Table.Td colSpan={columns.length}>
                          <Text c="dimmed" ta="center" py="lg" size="sm">
                            {debouncedSearch ? t('noMatch', { search: debouncedSearch }) : t('empty')}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Table.Tbody>
                )}
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
        <LoadMore hasMore={people.hasNextPage} loading={people.isFetchingNextPage} onLoadMore={() => void people.fetchNextPage()} />
      </Stack>
      {admin && <CreatePersonModal opened={createOpened} onClose={createModal.close} />}
      <EditPersonModal person={editing} isSelf={editing?.id === me.id} onClose={() => setEditing(null)} />
    </>
  );
}
