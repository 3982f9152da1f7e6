import { ActionIcon, Anchor, Button, Group, Paper, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconArrowLeft, IconEdit, IconTrash, IconUserMinus, IconUsersGroup } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/http';
import { useDeleteTeam, useRemoveTeamMember, useTeam, useUpdateTeam } from '../../api/teams';
import type { TeamMember } from '../../api/types';
import { isAdmin, useCurrentUser } from '../../app/guards';
import { RoleBadge } from '../../components/Badges';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { notifyError, notifySuccess } from '../../lib/notify';
import { AddMemberForm } from './AddMemberForm';
import { TeamFormModal } from './TeamFormModal';

function BackToTeams() {
  const { t } = useTranslation('teams');
  return (
    <Anchor component={Link} to="/teams" size="sm" c="dimmed">
      <Group gap={4}>
        <IconArrowLeft size={14} /> {t('title')}
      </Group>
    </Anchor>
  );
}

export function TeamDetailPage() {
  const { t } = useTranslation('teams');
  const { teamId = '' } = useParams();
  const navigate = useNavigate();
  const me = useCurrentUser();
  const team = useTeam(teamId);
  const updateTeam = useUpdateTeam(teamId);
  const deleteTeam = useDeleteTeam(teamId);
  const removeMember = useRemoveTeamMember(teamId);
  const [editOpened, editModal] = useDisclosure(false);
  const [deleteOpened, deleteDialog] = useDisclosure(false);
  const [memberToRemove, setMemberToRemove] = useState<TeamMember | null>(null);

  if (team.isPending) {
    return (
      <Stack aria-busy="true">
        <Skeleton height={14} width={80} />
        <Skeleton height={30} width={260} />
        <Skeleton height={260} mt="md" />
      </Stack>
    );
  }
  if (team.isError) {
    if (isApiError(team.error, 404)) {
      return (
        <>
          <PageHeader title={t('detail.notFound')} breadcrumb={<BackToTeams />} />
          <EmptyState icon={<IconUsersGroup size={28} />} title={t('detail.notFoundTitle')} description={t('detail.notFoundHelp')} />
        </>
      );
    }
    return <ErrorState error={team.error} onRetry={() => void team.refetch()} />;
  }

  const data = team.data;
  // The API has no per-team permission flag; admins and members are who the server lets edit.
  const canEdit = isAdmin(me) || data.members.some((member) => member.id === me.id);

  const confirmRemove = () => {
    if (!memberToRemove) return;
    removeMember.mutate(memberToRemove.id, {
      onSuccess: () => notifySuccess(t('detail.removed', { name: memberToRemove.name, team: data.name })),
      onError: (error) => notifyError(error),
      onSettled: () => setMemberToRemove(null),
    });
  };

  const confirmDelete = () =>
    deleteTeam.mutate(undefined, {
      onSuccess: () => {
        notifySuccess(t('detail.deleted', { name: data.name }));
        void navigate('/teams', { replace: true });
      },
      onError: (error) => {
        deleteDialog.close();
        notifyError(error);
      },
    });

  return (
    <>
      <PageHeader
        title={data.name}
        breadcrumb={<BackToTeams />}
        description={data.description || t('detail.noDescription')}
        actions={
          canEdit && (
            <>
              <Button variant="default" leftSection={<IconEdit size={16} />} onClick={editModal.open} data-testid="edit-team-button">
                {t('common:actions.edit')}
              </Button>
              <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={deleteDialog.open} data-testid="delete-team-button">
                {t('common:actions.delete')}
              </Button>
            </>
          )
        }
      />

      <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
        <Stack gap="md">
          <Group justify="space-between">
            <Title order={4}>{t('columns.members')}</Title>
            <Text size="sm" c="dimmed">
              {t('detail.peopleCount', { count: data.members.length })}
            </Text>
          </Group>
          {canEdit && <AddMemberForm teamId={teamId} members={data.members} />}
          {data.members.length === 0 ? (
            <EmptyState bare icon={<IconUsersGroup size={28} />} title={t('detail.noMembers')} description={t('detail.noMembersHelp')} />
          ) : (
            <Table.ScrollContainer minWidth={520} type="native">
              <Table data-testid="team-members-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('columns.name')}</Table.Th>
                    <Table.Th>{t('detail.email')}</Table.Th>
                    <Table.Th>{t('detail.role')}</Table.Th>
                    {canEdit && (
                      // Labelled rather than visually hidden text: an absolutely positioned span
                      // escapes the scroll container and widens the page on phones.
                      <Table.Th w={60} aria-label={t('detail.actions')} />
                    )}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.members.map((member) => (
                    <Table.Tr key={member.id} data-testid="team-member-row">
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {member.name}
                          {member.id === me.id && (
                            <Text span c="dimmed" size="xs">
                              {' '}
                              {t('detail.you')}
                            </Text>
                          )}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{member.email}</Text>
                      </Table.Td>
                      <Table.Td>
                        <RoleBadge role={member.role} />
                      </Table.Td>
                      {canEdit && (
                        <Table.Td>
                          <Tooltip label={t('detail.removeNamed', { name: member.name })}>
                            <ActionIcon variant="subtle" color="red" aria-label={t('detail.removeNamed', { name: member.name })} onClick={() => setMemberToRemove(member)}>
                              <IconUserMinus size={16} />
                            </ActionIcon>
                          </Tooltip>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      </Paper>

      <TeamFormModal
        opened={editOpened}
        onClose={editModal.close}
        team={data}
        saving={updateTeam.isPending}
        onSave={(body) => updateTeam.mutateAsync(body).then(() => notifySuccess(t('detail.saved')))}
      />
      <ConfirmDialog
        opened={memberToRemove !== null}
        onClose={() => setMemberToRemove(null)}
        title={t('detail.removeTitle')}
        message={
          memberToRemove?.id === me.id
            ? t('detail.removeSelf', { team: data.name })
            : t('detail.removeOther', { name: memberToRemove?.name ?? '', team: data.name })
        }
        confirmLabel={t('detail.remove')}
        loading={removeMember.isPending}
        onConfirm={confirmRemove}
      />
      <ConfirmDialog
        opened={deleteOpened}
        onClose={deleteDialog.close}
        title={t('detail.deleteTitle')}
        message={t('detail.deleteMessage', { name: data.name })}
        confirmLabel={t('detail.delete')}
        loading={deleteTeam.isPending}
        onConfirm={confirmDelete}
      />
    </>
  );
}
