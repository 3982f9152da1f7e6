import { ActionIcon, Alert, Badge, Box, Button, Group, Paper, Skeleton, Stack, Switch, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowDown, IconArrowUp, IconClockPause, IconCopy, IconGripVertical, IconPencil, IconPlus, IconStairsUp, IconTrash } from '@tabler/icons-react';
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { i18next } from '../../i18n';
import { useCopyEscalationRule, useDeleteEscalationRule, useEscalationRules, useReorderEscalationRules, useUpdateEscalationRule } from '../../api/escalation';
import { asEscalationSpec, isCatchAll } from '../../api/specs';
import type { Channel, EscalationRule } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { notifyError, notifySuccess } from '../../lib/notify';
import { EscalationRuleEditor } from './EscalationRuleEditor';
import { describeConditions } from './ruleSpec';
import { RuleSummary } from './RuleSummary';
import { useRuleSummary } from './useRuleSummary';

const DRAG_TYPE = 'application/x-tocsin-escalation-rule';

/** The channel's "Escalation rules" tab: rules in priority order, reorderable, with their summaries. */
export function EscalationRulesTab({ channel }: { channel: Channel }) {
  const { t } = useTranslation('escalation');
  const rules = useEscalationRules(channel.id);
  const reorder = useReorderEscalationRules(channel.id);
  // Kept while the drawer closes, so its content does not vanish during the transition.
  const [editing, setEditing] = useState<EscalationRule | 'new'>('new');
  const [editorOpened, editor] = useDisclosure(false);
  const openEditor = (rule: EscalationRule | 'new') => {
    setEditing(rule);
    editor.open();
  };
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const canManage = channel.can_manage;

  const list = rules.data ?? [];
  const hasCatchAll = list.some((r) => r.enabled && isCatchAll(asEscalationSpec(r.spec)));

  const move = (from: number, to: number, focus?: { id: string; dir: 'up' | 'down' }) => {
    if (to < 0 || to >= list.length || from === to) return;
    const ids = list.map((r) => r.id);
    const [moved] = ids.splice(from, 1);
    if (!moved) return;
    ids.splice(to, 0, moved);
    reorder.mutate(ids, { onError: (e) => notifyError(e, t('rules.reorderFailed')) });
    if (focus) {
      // The row moved in the DOM, which drops focus; put it back on the same button.
      requestAnimationFrame(() => document.querySelector<HTMLButtonElement>(`[data-rule-id="${focus.id}"] [data-move="${focus.dir}"]:not(:disabled)`)?.focus());
    }
  };

  const onDrop = (event: DragEvent, index: number) => {
    event.preventDefault();
    const id = event.dataTransfer.getData(DRAG_TYPE) || dragging;
    const from = list.findIndex((r) => r.id === id);
    setDragging(null);
    setDropAt(null);
    if (from < 0) return;
    move(from, from < index ? index - 1 : index);
  };

  return (
    <Stack gap="md" data-testid="escalation-rules-tab">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="nowrap" align="flex-start" style={{ flex: '1 1 320px' }}>
          <ThemeIcon variant="light" size={36} radius="md">
            <IconStairsUp size={20} />
          </ThemeIcon>
          <div>
            <Title order={4}>{t('rules.title')}</Title>
            <Text size="sm" c="dimmed">
              {canManage ? t('rules.descriptionManage') : t('rules.description')}
            </Text>
          </div>
        </Group>
        {canManage && list.length > 0 && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => openEditor('new')} data-testid="add-escalation-rule">
            {t('rules.add')}
          </Button>
        )}
      </Group>

      {rules.isSuccess && !hasCatchAll && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={t('rules.noCatchAllTitle')} data-testid="no-catch-all-warning">
          {list.length === 0 ? t('rules.noRulesWarning') : t('rules.noCatchAllWarning')}
        </Alert>
      )}

      {rules.isPending ? (
        <Stack gap="sm" aria-busy="true">
          <Skeleton height={96} radius="md" />
          <Skeleton height={96} radius="md" />
        </Stack>
      ) : rules.isError ? (
        <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState
          icon={<IconStairsUp size={28} />}
          title={t('rules.emptyTitle')}
          description={t('rules.emptyDescription')}
          action={
            canManage && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => openEditor('new')} data-testid="add-escalation-rule">
                {t('rules.add')}
              </Button>
            )
          }
        />
      ) : (
        <Stack gap="sm" role="list" aria-label={t('rules.listLabel')} onDragLeave={(e) => e.currentTarget === e.target && setDropAt(null)}>
          {list.map((rule, index) => (
            <Box
              key={rule.id}
              role="listitem"
              onDragOver={(e) => {
                if (!dragging) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                const box = e.currentTarget.getBoundingClientRect();
                setDropAt(e.clientY < box.top + box.height / 2 ? index : index + 1);
              }}
              onDrop={(e) => onDrop(e, dropAt ?? index)}
              style={{
                boxShadow:
                  dropAt === index ? '0 -3px 0 0 var(--mantine-primary-color-filled)' : dropAt === index + 1 && index === list.length - 1 ? '0 3px 0 0 var(--mantine-primary-color-filled)' : undefined,
                borderRadius: 'var(--mantine-radius-md)',
              }}
            >
              <RuleRow
                channel={channel}
                rule={rule}
                index={index}
                count={list.length}
                dragging={dragging === rule.id}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, rule.id);
                  e.dataTransfer.effectAllowed = 'move';
                  setDragging(rule.id);
                }}
                onDragEnd={() => {
                  setDragging(null);
                  setDropAt(null);
                }}
                onMove={(dir) => move(index, dir === 'up' ? index - 1 : index + 1, { id: rule.id, dir })}
                onEdit={() => openEditor(rule)}
                reordering={reorder.isPending}
              />
            </Box>
          ))}
        </Stack>
      )}
      <EscalationRuleEditor channel={channel} opened={editorOpened} rule={editing} onClose={editor.close} defaultName={defaultRuleName(list.map((r) => r.name))} />
    </Stack>
  );
}

interface RuleRowProps {
  channel: Channel;
  rule: EscalationRule;
  index: number;
  count: number;
  dragging: boolean;
  onDragStart: (e: DragEvent) => void;
  onDragEnd: () => void;
  onMove: (dir: 'up' | 'down') => void;
  onEdit: () => void;
  reordering: boolean;
}

function RuleRow({ channel, rule, index, count, dragging, onDragStart, onDragEnd, onMove, onEdit, reordering }: RuleRowProps) {
  const { t } = useTranslation('escalation');
  const update = useUpdateEscalationRule(channel.id);
  const copy = useCopyEscalationRule(channel.id);
  const remove = useDeleteEscalationRule(channel.id);
  const [deleteOpened, deleteDialog] = useDisclosure(false);
  const canManage = channel.can_manage;
  const spec = asEscalationSpec(rule.spec);
  const conditions = describeConditions(spec);
  const catchAll = isCatchAll(spec);
  const summary = useRuleSummary(rule);

  return (
    <Paper
      withBorder
      radius="md"
      p={{ base: 'sm', sm: 'md' }}
      data-testid="escalation-rule-row"
      data-rule-id={rule.id}
      draggable={canManage}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      style={{ opacity: dragging ? 0.45 : rule.enabled ? 1 : 0.8 }}
      bg={rule.enabled ? undefined : 'var(--mantine-color-default-hover)'}
    >
      <Stack gap="sm">
        <Group gap="sm" wrap="nowrap" align="flex-start" justify="space-between">
          <Group gap="sm" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
            {canManage && (
              <Tooltip label={t('rules.drag')} openDelay={400}>
                <Box c="dimmed" pt={4} style={{ cursor: 'grab', lineHeight: 0 }} aria-hidden data-testid="rule-drag-handle" visibleFrom="sm">
                  <IconGripVertical size={18} />
                </Box>
              </Tooltip>
            )}
            <Badge variant="light" color="gray" radius="sm" size="lg" aria-label={t('rules.priority', { n: index + 1 })} style={{ flexShrink: 0 }}>
              {index + 1}
            </Badge>
            <Group gap={6} wrap="wrap" style={{ minWidth: 0 }} pt={2}>
              <Text fw={600} style={{ overflowWrap: 'anywhere' }} data-testid="escalation-rule-name">
                {rule.name}
              </Text>
              {catchAll ? (
                <Badge color="teal" variant="light" size="sm">
                  {t('rules.catchAll')}
                </Badge>
              ) : (
                <Badge color="blue" variant="light" size="sm">
                  {t('rules.conditional')}
                </Badge>
              )}
              {(spec.delay_seconds ?? 0) > 0 && (
                <Badge color="gray" variant="outline" size="sm" leftSection={<IconClockPause size={12} />}>
                  {t('rules.delay', { seconds: spec.delay_seconds })}
                </Badge>
              )}
              {!rule.enabled && (
                <Badge color="gray" variant="outline" size="sm">
                  {t('rules.off')}
                </Badge>
              )}
            </Group>
          </Group>
          <Switch
            checked={rule.enabled}
            disabled={!canManage || update.isPending}
            aria-label={rule.enabled ? t('rules.disable', { name: rule.name }) : t('rules.enable', { name: rule.name })}
            onChange={() =>
              update.mutate(
                { id: rule.id, body: { enabled: !rule.enabled } },
                { onSuccess: (r) => notifySuccess(r.enabled ? t('rules.enabled', { name: r.name }) : t('rules.disabled', { name: r.name })), onError: (e) => notifyError(e) },
              )
            }
            mt={4}
            data-testid="rule-enabled-switch"
          />
        </Group>
        <Paper radius="sm" px="sm" py={8} bg="var(--mantine-color-default-hover)" data-testid="escalation-rule-summary">
          <RuleSummary summary={summary} />
        </Paper>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere', flex: '1 1 240px' }} lineClamp={2}>
            {conditions ? t('rules.applies', { conditions }) : t('rules.appliesAll')}
          </Text>
          <Group gap={2} wrap="nowrap" ml="auto">
            {canManage && count > 1 && (
              <>
                <Tooltip label={t('rules.higher')}>
                  <ActionIcon variant="subtle" color="gray" disabled={index === 0 || reordering} onClick={() => onMove('up')} aria-label={t('rules.moveUp', { name: rule.name })} data-move="up" data-testid="rule-move-up">
                    <IconArrowUp size={16} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('rules.lower')}>
                  <ActionIcon variant="subtle" color="gray" disabled={index === count - 1 || reordering} onClick={() => onMove('down')} aria-label={t('rules.moveDown', { name: rule.name })} data-move="down" data-testid="rule-move-down">
                    <IconArrowDown size={16} />
                  </ActionIcon>
                </Tooltip>
              </>
            )}
            <Tooltip label={canManage ? t('common:actions.edit') : t('rules.view')}>
              <ActionIcon variant="subtle" color="gray" onClick={onEdit} aria-label={canManage ? t('rules.editNamed', { name: rule.name }) : t('rules.viewNamed', { name: rule.name })} data-testid="rule-edit">
                <IconPencil size={16} />
              </ActionIcon>
            </Tooltip>
            {canManage && (
              <>
                <Tooltip label={t('rules.copyTip')}>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    loading={copy.isPending}
                    onClick={() => copy.mutate(rule.id, { onSuccess: (r) => notifySuccess(t('rules.copied', { name: r.name })), onError: (e) => notifyError(e) })}
                    aria-label={t('rules.copyNamed', { name: rule.name })}
                    data-testid="rule-copy"
                  >
                    <IconCopy size={16} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('common:actions.delete')}>
                  <ActionIcon variant="subtle" color="red" onClick={deleteDialog.open} aria-label={t('rules.deleteNamed', { name: rule.name })} data-testid="rule-delete">
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              </>
            )}
          </Group>
        </Group>
      </Stack>
      <ConfirmDialog
        opened={deleteOpened}
        onClose={deleteDialog.close}
        title={t('rules.deleteTitle')}
        message={t('rules.deleteMessage', { name: rule.name })}
        confirmLabel={t('rules.delete')}
        loading={remove.isPending}
        onConfirm={() =>
          remove.mutate(rule.id, {
            onSuccess: () => {
              deleteDialog.close();
              notifySuccess(t('rules.deleted', { name: rule.name }));
            },
            onError: (e) => {
              deleteDialog.close();
              notifyError(e);
            },
          })
        }
      />
    </Paper>
  );
}

/** A name a new rule can keep: "Default" for a channel's first rule, then "Rule 2", "Rule 3", … not yet taken (in the person's language). */
export function defaultRuleName(taken: readonly string[]): string {
  if (taken.length === 0) return i18next.t('escalation:rules.defaultName');
  for (let n = taken.length + 1; ; n += 1) {
    const name = i18next.t('escalation:rules.ruleN', { n });
    if (!taken.includes(name)) return name;
  }
}
