import { Anchor, Badge, Button, Paper, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconPlus, IconUsersGroup } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCreateTeam, useTeams } from '../../api/teams';
import type { Team } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { RelativeTime } from '../../components/RelativeTime';
import { SearchInput } from '../../components/SearchInput';
import { TableSkeleton } from '../../components/TableSkeleton';
import { notifySuccess } from '../../lib/notify';
import { TeamFormModal } from './TeamFormModal';

/** Keys in `teams:columns`. */
const COLUMNS = ['name', 'members', 'created'];

export function TeamsPage() {
  const { t } = useTranslation('teams');
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const teams = useTeams(debouncedSearch);
  const createTeam = useCreateTeam();
  const [createOpened, createModal] = useDisclosure(false);
  const isEmpty = teams.isSuccess && teams.items.length === 0;
  const showEmptyState = isEmpty && !debouncedSearch;

  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={createModal.open} data-testid="create-team-button">
      {t('create')}
    </Button>
  );

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={showEmptyState ? undefined : createButton}
      />
      {showEmptyState ? (
        <EmptyState
          icon={<IconUsersGroup size={28} />}
          title={t('emptyTitle')}
          description={t('emptyDescription')}
          action={createButton}
        />
      ) : (
        <Stack gap="md">
          <SearchInput value={search} onChange={setSearch} label={t('search')} placeholder={t('search')} />
          {teams.isError ? (
            <ErrorState error={teams.error} onRetry={() => void teams.refetch()} />
          ) : (
            <Paper withBorder radius="md">
              <Table.ScrollContainer minWidth={360} type="native">
                <Table data-testid="teams-table">
                  <Table.Thead>
                    <Table.Tr>
                      {COLUMNS.map((column) => (
                        <Table.Th key={column}>{t(`columns.${column}`)}</Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  {teams.isPending ? (
                    <TableSkeleton columns={COLUMNS.length} />
                  ) : (
                    <Table.Tbody>
                      {teams.items.map((team) => (
                        <TeamRow key={team.id} team={team} />
                      ))}
                      {isEmpty && (
                        <Table.Tr>
                          <Table.Td colSpan={COLUMNS.length}>
                            <Text c="dimmed" ta="center" py="lg" size="sm">
                              {t('noMatch', { search: debouncedSearch })}
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
          <LoadMore hasMore={teams.hasNextPage} loading={teams.isFetchingNextPage} onLoadMore={() => void teams.fetchNextPage()} />
        </Stack>
      )}
      <TeamFormModal
        opened={createOpened}
        onClose={createModal.close}
        saving={createTeam.isPending}
        onSave={(body) =>
          createTeam.mutateAsync(body).then((team) => {
            notifySuccess(t('created', { name: team.name }));
            void navigate(`/teams/${team.id}`);
          })
        }
      />
    </>
  );
}

function TeamRow({ team }: { team: Team }) {
  const { t } = useTranslation('teams');
  const navigate = useNavigate();
  const href = `/teams/${team.id}`;
  return (
    <Table.Tr
      className="tocsin-row-link"
      data-testid="team-row"
      data-team-id={team.id}
      onClick={(event) => {
        if (!(event.target instanceof HTMLElement && event.target.closest('a'))) void navigate(href);
      }}
    >
      <Table.Td>
        <Anchor component={Link} to={href} fw={600} size="sm">
          {team.name}
        </Anchor>
        {team.description && (
          <Text size="xs" c="dimmed" lineClamp={1} maw={420}>
            {team.description}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color="gray">
          {t('memberCount', { count: team.member_count })}
        </Badge>
      </Table.Td>
      <Table.Td>
        <RelativeTime ms={team.created_at} />
      </Table.Td>
    </Table.Tr>
  );
}
