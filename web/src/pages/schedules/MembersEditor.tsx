import { ActionIcon, Avatar, Badge, Button, CloseButton, Group, Input, Menu, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { randomId } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconDots, IconLink, IconLinkOff, IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { i18next } from '../../i18n';
import { GROUP_MAX } from '../../api/schedules';
import { PersonSelect } from '../../components/schedules/PersonSelect';
import type { MemberSlot } from './scheduleFormModel';

interface MembersEditorProps {
  layerIndex: number;
  slots: MemberSlot[];
  onChange: (slots: MemberSlot[]) => void;
  names: Map<string, string | null>;
  /** Errors by slot index (`layers.0.members.1` and below). */
  slotError: (slotIndex: number) => string | undefined;
  error?: string;
}

function nameOf(names: Map<string, string | null>, id: string): string {
  const name = names.get(id);
  return name === undefined ? i18next.t('schedules:loadingEllipsis') : (name ?? i18next.t('schedules:unknownPerson'));
}

/**
 * The layer's rotation order. Each slot takes one turn; a slot may hold several people who are
 * then on call together.
 */
export function MembersEditor({ layerIndex, slots, onChange, names, slotError, error }: MembersEditorProps) {
  const { t } = useTranslation('schedules');
  const [addingTo, setAddingTo] = useState<string | null>(null);
  // Remounts the "Add a person" select after each pick so it starts empty again.
  const [adderKey, setAdderKey] = useState(0);
  const prefix = `layer-${layerIndex}`;

  const move = (index: number, to: number) => {
    if (to < 0 || to >= slots.length) return;
    const next = [...slots];
    const [slot] = next.splice(index, 1);
    if (slot) next.splice(to, 0, slot);
    onChange(next);
  };
  const remove = (index: number) => onChange(slots.filter((_, i) => i !== index));
  const mergeWithNext = (index: number) => {
    const current = slots[index];
    const following = slots[index + 1];
    if (!current || !following) return;
    const ids = [...current.ids, ...following.ids.filter((id) => !current.ids.includes(id))].slice(0, GROUP_MAX);
    onChange(slots.flatMap((slot, i) => (i === index ? [{ ...slot, ids }] : i === index + 1 ? [] : [slot])));
  };
  const split = (index: number) =>
    onChange(slots.flatMap((slot, i) => (i === index ? slot.ids.map((id, j) => ({ key: j === 0 ? slot.key : randomId(), ids: [id] })) : [slot])));
  const removePerson = (index: number, id: string) =>
    onChange(slots.flatMap((slot, i) => (i !== index ? [slot] : slot.ids.length > 1 ? [{ ...slot, ids: slot.ids.filter((x) => x !== id) }] : [])));
  const addToSlot = (index: number, id: string) =>
    onChange(slots.map((slot, i) => (i === index && !slot.ids.includes(id) ? { ...slot, ids: [...slot.ids, id] } : slot)));

  return (
    <Input.Wrapper
      label={t('members.label')}
      description={t('members.help')}
      error={error}
      labelElement="div"
    >
      <Stack gap={6} mt={6} data-testid={`${prefix}-members`}>
        {slots.length === 0 && (
          <Text size="sm" c="dimmed" fs="italic" py={4}>
            {t('members.empty')}
          </Text>
        )}
        {slots.map((slot, index) => {
          const invalid = slotError(index);
          return (
            <Paper
              key={slot.key}
              withBorder
              radius="sm"
              px="sm"
              py={6}
              data-testid={`${prefix}-member-slot`}
              style={invalid ? { borderColor: 'var(--mantine-color-error)' } : undefined}
            >
              <Group gap="xs" wrap="nowrap" align="center">
                <Text size="xs" c="dimmed" w={18} ta="right" fw={600} aria-hidden>
                  {index + 1}.
                </Text>
                <Group gap={6} wrap="wrap" style={{ flex: 1, minWidth: 0 }} aria-label={t('members.slot', { n: index + 1 })}>
                  {slot.ids.map((id) => (
                    <Badge
                      key={id}
                      variant="light"
                      color="gray"
                      size="lg"
                      radius="sm"
                      tt="none"
                      fw={500}
                      leftSection={<Avatar name={nameOf(names, id)} color="initials" size={18} />}
                      rightSection={
                        slot.ids.length > 1 ? (
                          <CloseButton size="xs" aria-label={t('members.removePerson', { name: nameOf(names, id) })} onClick={() => removePerson(index, id)} />
                        ) : undefined
                      }
                    >
                      {nameOf(names, id)}
                    </Badge>
                  ))}
                  {slot.ids.length > 1 && (
                    <Text size="xs" c="dimmed">
                      {t('members.together')}
                    </Text>
                  )}
                </Group>
                <Group gap={2} wrap="nowrap">
                  <Tooltip label={t('members.moveUpTip')}>
                    <ActionIcon variant="subtle" color="gray" disabled={index === 0} onClick={() => move(index, index - 1)} aria-label={t('members.moveUp', { n: index + 1 })}>
                      <IconArrowUp size={16} />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label={t('members.moveDownTip')}>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      disabled={index === slots.length - 1}
                      onClick={() => move(index, index + 1)}
                      aria-label={t('members.moveDown', { n: index + 1 })}
                    >
                      <IconArrowDown size={16} />
                    </ActionIcon>
                  </Tooltip>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon variant="subtle" color="gray" aria-label={t('members.more', { n: index + 1 })}>
                        <IconDots size={16} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item leftSection={<IconUserPlus size={14} />} onClick={() => setAddingTo(slot.key)} disabled={slot.ids.length >= GROUP_MAX}>
                        {t('members.addToSlot')}
                      </Menu.Item>
                      <Menu.Item leftSection={<IconLink size={14} />} onClick={() => mergeWithNext(index)} disabled={index === slots.length - 1}>
                        {t('members.group')}
                      </Menu.Item>
                      <Menu.Item leftSection={<IconLinkOff size={14} />} onClick={() => split(index)} disabled={slot.ids.length < 2}>
                        {t('members.split')}
                      </Menu.Item>
                      <Menu.Divider />
                      <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => remove(index)}>
                        {t('members.removeSlot')}
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                </Group>
              </Group>
              {addingTo === slot.key && (
                <Group gap="xs" mt={6} ml={26} wrap="nowrap">
                  <PersonSelect
                    aria-label={t('members.personToAdd', { n: index + 1 })}
                    value={null}
                    exclude={slot.ids}
                    autoFocus
                    size="xs"
                    style={{ flex: 1 }}
                    onChange={(id) => {
                      if (id) addToSlot(index, id);
                      setAddingTo(null);
                    }}
                  />
                  <Button size="xs" variant="subtle" color="gray" onClick={() => setAddingTo(null)}>
                    {t('common:actions.cancel')}
                  </Button>
                </Group>
              )}
              {invalid && (
                <Text size="xs" c="red" mt={4} ml={26}>
                  {invalid}
                </Text>
              )}
            </Paper>
          );
        })}
        <PersonSelect
          key={adderKey}
          aria-label={t('members.add')}
          placeholder={t('members.addPlaceholder')}
          leftSection={<IconUserPlus size={16} />}
          value={null}
          // After a pick the select is remounted; keep the focus on it for the next person.
          autoFocus={adderKey > 0}
          onChange={(id) => {
            if (!id) return;
            onChange([...slots, { key: randomId(), ids: [id] }]);
            setAdderKey((k) => k + 1);
          }}
          data-testid={`${prefix}-add-member`}
        />
      </Stack>
    </Input.Wrapper>
  );
}
