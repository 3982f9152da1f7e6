import { Anchor } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCreateTeam } from '../api/teams';
import { useCurrentUser } from '../app/guards';
import { TeamFormModal } from '../pages/teams/TeamFormModal';

/**
 * "Create a team" in place, for forms that need a team (a channel's owner, a schedule's team), so a
 * new organisation never meets a picker with nothing to pick. Calls `onCreated` with the new team.
 */
export function NewTeamLink({ onCreated, emphasise = false }: { onCreated: (team: { id: string; name: string }) => void; emphasise?: boolean }) {
  const { t } = useTranslation('onboarding');
  const me = useCurrentUser();
  const [opened, { open, close }] = useDisclosure(false);
  const create = useCreateTeam();
  if (me.role === 'viewer') return null;
  return (
    <>
      <Anchor component="button" type="button" size="sm" fw={emphasise ? 600 : 400} onClick={open} data-testid="new-team-link" style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
        <IconPlus size={14} /> {emphasise ? t('newTeam.first') : t('newTeam.another')}
      </Anchor>
      <TeamFormModal
        opened={opened}
        onClose={close}
        saving={create.isPending}
        onSave={async (body) => {
          const team = await create.mutateAsync(body);
          onCreated({ id: team.id, name: team.name });
          return team;
        }}
      />
    </>
  );
}
