import { useTranslation } from 'react-i18next';
import { Anchor, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconBroadcast, IconPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useChannels } from '../../api/channels';
import type { Channel } from '../../api/types';
import { AccessBadge, EnabledBadge } from '../../components/Badges';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { RelativeTime } from '../../components/RelativeTime';
import { SearchInput } from '../../components/SearchInput';
import { TableSkeleton } from '../../components/TableSkeleton';
import { CreateChannelModal } from './CreateChannelModal';
import { GettingStarted } from '../../components/GettingStarted';

/** Column keys in the `channels` namespace (list.columns.*). */
const COLUMNS = ['name', 'team', 'access', 'status', 'created'];
/** Columns folded into the name cell on phones (see ChannelRow). */
const DESKTOP_ONLY_COLUMNS = new Set(['access', 'status', 'created']);

export function ChannelsPage() {
  const { t } = useTranslation('channels');
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const channels = useChannels(debouncedSearch);
  const [createOpened, createModal] = useDisclosure(false);
  // `?create=1` (the getting-started checklist) opens the form directly.
  const [params, setParams] = useSearchParams();
  useEffect(() => {
    if (params.get('create') !== '1') return;
    createModal.open();
    setParams((current) => {
      current.delete('create');
      return current;
    }, { replace: true });
  }, [params, setParams, createModal]);

  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={createModal.open} data-testid="create-channel-button">
      {t('create.title')}
    </Button>
  );
  const isEmpty = channels.isSuccess && channels.items.length === 0;
  // The empty state carries its own call to action; one "Create channel" on screen is enough.
  const showEmptyState = isEmpty && !debouncedSearch;

  return (
    <>
      <PageHeader
        title={t('list.title')}
        description={t('list.description')}
        actions={showEmptyState ? undefined : createButton}
      />
      <GettingStarted />
      {showEmptyState ? (
        <EmptyState
          icon={<IconBroadcast size={28} />}
          title={t('list.emptyTitle')}
          description={t('list.emptyDescription')}
          action={createButton}
        />
      ) : (
        <Stack gap="md">
          <SearchInput value={search} onChange={setSearch} label={t('list.search')} placeholder={t('list.search')} />
          {channels.isError ? (
            <ErrorState error={channels.error} onRetry={() => void channels.refetch()} />
          ) : (
            <Paper withBorder radius="md">
              <Table.ScrollContainer minWidth={320} type="native">
                <Table data-testid="channels-table">
                  <Table.Thead>
                    <Table.Tr>
                      {COLUMNS.map((column) => (
                        <Table.Th key={column} visibleFrom={DESKTOP_ONLY_COLUMNS.has(column) ? 'sm' : undefined}>
                          {t(`list.columns.${column}`)}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  {channels.isPending ? (
                    <TableSkeleton columns={COLUMNS.length} />
                  ) : (
                    <Table.Tbody>
                      {channels.items.map((channel) => (
                        <ChannelRow key={channel.id} channel={channel} />
                      ))}
                      {isEmpty && (
                        <Table.Tr>
                          <Table.Td colSpan={COLUMNS.length}>
                            <Text c="dimmed" ta="center" py="lg" size="sm">
                              {t('list.noMatch', { search: debouncedSearch })}
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
          <LoadMore hasMore={channels.hasNextPage} loading={channels.isFetchingNextPage} onLoadMore={() => void channels.fetchNextPage()} />
        </Stack>
      )}
      <CreateChannelModal opened={createOpened} onClose={createModal.close} />
    </>
  );
}

/** One channel; the whole row opens it, and the name is a real link for keyboards and new tabs. */
function ChannelRow({ channel }: { channel: Channel }) {
  const navigate = useNavigate();
  const href = `/channels/${channel.id}`;
  return (
    <Table.Tr
      className="tocsin-row-link"
      data-testid="channel-row"
      data-channel-id={channel.id}
      onClick={(event) => {
        if (!(event.target instanceof HTMLElement && event.target.closest('a'))) void navigate(href);
      }}
    >
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Anchor component={Link} to={href} fw={600} size="sm">
            {channel.name}
          </Anchor>
        </Group>
        {channel.description && (
          <Text size="xs" c="dimmed" lineClamp={1} maw={360}>
            {channel.description}
          </Text>
        )}
        {/* On phones the access and status columns fold in here. */}
        <Group gap={6} mt={6} wrap="nowrap" hiddenFrom="sm">
          <AccessBadge isPrivate={channel.private} />
          <EnabledBadge disabled={channel.disabled} />
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{channel.team_name}</Text>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <AccessBadge isPrivate={channel.private} />
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <EnabledBadge disabled={channel.disabled} />
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <RelativeTime ms={channel.created_at} />
      </Table.Td>
    </Table.Tr>
  );
}
