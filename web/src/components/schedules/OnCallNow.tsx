import { Avatar, Badge, Group, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOnCall } from '../../api/schedules';
import { roleLabel } from './roleLabel';

interface OnCallNowProps {
  scheduleId: string;
  /** Avatars only with names in tooltips (tables), or avatars with names (the schedule page). */
  variant?: 'compact' | 'full';
  /** Marked "you" when on call. */
  meId?: string;
}

/** Who is on call right now, per role (primary first). */
export function OnCallNow({ scheduleId, variant = 'compact', meId }: OnCallNowProps) {
  const { t } = useTranslation('schedules');
  const onCall = useOnCall(scheduleId);
  if (onCall.isPending) {
    return variant === 'compact' ? <Skeleton height={26} width={80} radius="xl" /> : <Skeleton height={40} width={240} />;
  }
  if (onCall.isError) {
    return (
      <Text size="sm" c="dimmed">
        {t('onCall.unavailable')}
      </Text>
    );
  }
  const names = new Map(onCall.data.people.map((p) => [p.id, p.name]));
  const roles = onCall.data.on_call;
  if (roles.length === 0 || roles.every((role) => role.person_ids.length === 0)) {
    return (
      <Badge color="red" variant="light" data-testid="on-call-nobody">
        {t('onCall.nobody')}
      </Badge>
    );
  }
  const showRole = roles.length > 1 || roles[0]?.role !== 'primary';

  if (variant === 'compact') {
    return (
      <Stack gap={4} data-testid="on-call-now">
        {roles.map((role) => (
          <Group key={role.role} gap={6} wrap="nowrap">
            {showRole && (
              <Text size="xs" c="dimmed" w={56} truncate>
                {roleLabel(role.role)}
              </Text>
            )}
            {role.person_ids.length === 0 ? (
              <Text size="xs" c="red">
                {t('onCall.nobodyShort')}
              </Text>
            ) : (
              <Tooltip.Group openDelay={200} closeDelay={100}>
                <Avatar.Group spacing={6}>
                  {role.person_ids.map((id) => (
                    <Tooltip key={id} label={names.get(id) ?? t('unknownPerson')} withArrow>
                      <Avatar name={names.get(id) ?? '?'} color="initials" size={28} aria-label={names.get(id) ?? t('unknownPerson')} />
                    </Tooltip>
                  ))}
                </Avatar.Group>
              </Tooltip.Group>
            )}
            {role.person_ids.length === 1 && (
              <Text size="sm" truncate maw={140} visibleFrom="md">
                {names.get(role.person_ids[0] ?? '')}
              </Text>
            )}
          </Group>
        ))}
      </Stack>
    );
  }

  return (
    <Group gap="xl" wrap="wrap" data-testid="on-call-now">
      {roles.map((role) => (
        <Stack key={role.role} gap={6}>
          <Text size="xs" tt="uppercase" fw={700} c="dimmed" lts={0.4}>
            {roleLabel(role.role)}
          </Text>
          {role.person_ids.length === 0 ? (
            <Badge color="red" variant="light">
              {t('onCall.nobody')}
            </Badge>
          ) : (
            <Group gap="sm" wrap="wrap">
              {role.person_ids.map((id) => (
                <Group key={id} gap={8} wrap="nowrap" data-testid="on-call-person">
                  <Avatar name={names.get(id) ?? '?'} color="initials" size={32} />
                  <div>
                    <Text size="sm" fw={600} lh={1.2}>
                      {names.get(id) ?? t('unknownPerson')}
                    </Text>
                    {id === meId && (
                      <Text size="xs" c="dimmed" lh={1.2}>
                        {t('onCall.thatsYou')}
                      </Text>
                    )}
                  </div>
                </Group>
              ))}
            </Group>
          )}
        </Stack>
      ))}
    </Group>
  );
}
