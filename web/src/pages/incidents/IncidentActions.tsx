import { severityLabel } from '../../components/IncidentBadges';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Checkbox, Group, Menu, MultiSelect, NumberInput, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconArrowMerge, IconChevronDown, IconEdit, IconStairsUp, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useAddResponders, useCustomFields, useEditIncident, useEscalateIncident, useIncidents, useMergeIncidents, useReassignIncident } from '../../api/incidents';
import { useSchedules } from '../../api/schedules';
import type { CustomField, Incident, Severity } from '../../api/types';
import { usePeople } from '../../api/users';
import { ResponsiveModal } from '../../components/ResponsiveModal';
import { notifyError, notifySuccess } from '../../lib/notify';

type Dialog = 'edit' | 'assign' | 'responders' | 'escalate' | 'merge' | null;
const SEVERITIES: Severity[] = ['Critical', 'Warning', 'Info'];

/** "More actions" on an incident: edit, reassign, add responders, escalate to a level, merge. */
export function IncidentActionsMenu({ incident }: { incident: Incident }) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const open = incident.status !== 'closed';
  const { t } = useTranslation('incidents');
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" rightSection={<IconChevronDown size={14} />} data-testid="incident-more-actions">
            {t('more.actions')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconEdit size={16} />} onClick={() => setDialog('edit')} data-testid="incident-action-edit">
            {t('common:actions.edit')}
          </Menu.Item>
          <Menu.Item leftSection={<IconUsers size={16} />} onClick={() => setDialog('assign')} disabled={!open} data-testid="incident-action-assign">
            {t('more.reassign')}
          </Menu.Item>
          <Menu.Item leftSection={<IconUserPlus size={16} />} onClick={() => setDialog('responders')} disabled={!open} data-testid="incident-action-responders">
            {t('more.addResponders')}
          </Menu.Item>
          <Menu.Item leftSection={<IconStairsUp size={16} />} onClick={() => setDialog('escalate')} disabled={!open || incident.rule_id === null} data-testid="incident-action-escalate">
            {t('more.escalate')}
          </Menu.Item>
          <Menu.Item leftSection={<IconArrowMerge size={16} />} onClick={() => setDialog('merge')} disabled={!open} data-testid="incident-action-merge">
            {t('more.merge')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {dialog === 'edit' && <EditDialog incident={incident} onClose={close} />}
      {(dialog === 'assign' || dialog === 'responders') && <AssignDialog incident={incident} mode={dialog} onClose={close} />}
      {dialog === 'escalate' && <EscalateDialog incident={incident} onClose={close} />}
      {dialog === 'merge' && <MergeDialog incident={incident} onClose={close} />}
    </>
  );
}

function EditDialog({ incident, onClose }: { incident: Incident; onClose: () => void }) {
  const edit = useEditIncident(incident.id);
  const fields = useCustomFields();
  const [title, setTitle] = useState(incident.title);
  const [description, setDescription] = useState(incident.description);
  const [impact, setImpact] = useState(incident.impact);
  const [severity, setSeverity] = useState<Severity>(incident.severity);
  const [custom, setCustom] = useState<Record<string, unknown>>({ ...incident.custom_fields });
  const { t } = useTranslation('incidents');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const changedFields = Object.fromEntries(Object.entries(custom).filter(([name, value]) => JSON.stringify(value) !== JSON.stringify(incident.custom_fields[name] ?? null)));
    edit.mutate(
      { title, description, impact, severity, ...(Object.keys(changedFields).length > 0 && { custom_fields: changedFields }) },
      {
        onSuccess: () => {
          notifySuccess(t('edit.updated', { number: incident.number }));
          onClose();
        },
        onError: (error) => notifyError(error),
      },
    );
  };
  return (
    <ResponsiveModal opened onClose={onClose} title={<Title order={4}>{t('edit.title', { number: incident.number })}</Title>} size="lg">
      <form onSubmit={submit} aria-label={t('edit.formLabel')} data-testid="edit-incident-form">
        <Stack>
          <TextInput label={t('new.titleField')} required maxLength={512} value={title} onChange={(e) => setTitle(e.currentTarget.value)} data-testid="edit-title" />
          <Select label={t('list.severity')} data={SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))} value={severity} onChange={(v) => v && setSeverity(v as Severity)} allowDeselect={false} />
          <Textarea label={t('new.description')} autosize minRows={2} maxRows={8} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Textarea label={t('new.impact')} description={t('edit.impactHint')} autosize minRows={2} maxRows={6} value={impact} onChange={(e) => setImpact(e.currentTarget.value)} data-testid="edit-impact" />
          {(fields.data ?? []).map((field) => (
            <CustomFieldInput key={field.id} field={field} value={custom[field.name] ?? null} onChange={(value) => setCustom((current) => ({ ...current, [field.name]: value }))} />
          ))}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={edit.isPending} data-testid="edit-submit">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </ResponsiveModal>
  );
}

/** One custom field's input, by kind. */
export function CustomFieldInput({ field, value, onChange }: { field: CustomField; value: unknown; onChange: (value: unknown) => void }) {
  switch (field.kind) {
    case 'text':
      return <TextInput label={field.label} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.currentTarget.value || null)} data-testid={`custom-field-${field.name}`} />;
    case 'select':
      return <Select label={field.label} data={field.options} value={typeof value === 'string' ? value : null} onChange={(v) => onChange(v)} clearable data-testid={`custom-field-${field.name}`} />;
    case 'multi_select':
      return <MultiSelect label={field.label} data={field.options} value={Array.isArray(value) ? (value as string[]) : []} onChange={(v) => onChange(v.length > 0 ? v : null)} clearable data-testid={`custom-field-${field.name}`} />;
    case 'checkbox':
      return <Checkbox label={field.label} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} data-testid={`custom-field-${field.name}`} />;
  }
}

function AssignDialog({ incident, mode, onClose }: { incident: Incident; mode: 'assign' | 'responders'; onClose: () => void }) {
  const reassign = useReassignIncident(incident.id);
  const add = useAddResponders(incident.id);
  const mutation = mode === 'assign' ? reassign : add;
  const people = usePeople();
  const schedules = useSchedules();
  const [personIds, setPersonIds] = useState<string[]>([]);
  const [scheduleIds, setScheduleIds] = useState<string[]>([]);
  const { t } = useTranslation('incidents');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(
      { person_ids: personIds, schedule_ids: scheduleIds },
      {
        onSuccess: () => {
          notifySuccess(mode === 'assign' ? t('assign.reassigned', { number: incident.number }) : t('assign.added'));
          onClose();
        },
        onError: (error) => notifyError(error),
      },
    );
  };
  return (
    <ResponsiveModal opened onClose={onClose} title={<Title order={4}>{mode === 'assign' ? t('assign.reassignTitle', { number: incident.number }) : t('assign.addTitle', { number: incident.number })}</Title>}>
      <form onSubmit={submit} aria-label={mode === 'assign' ? t('assign.reassignLabel') : t('more.addResponders')} data-testid="assign-form">
        <Stack>
          <Text size="sm" c="dimmed">
            {mode === 'assign' ? t('assign.replaces') : t('assign.keeps')} {t('assign.hint')}
          </Text>
          <MultiSelect label={t('assign.people')} searchable data={people.items.map((p) => ({ value: p.id, label: p.name }))} value={personIds} onChange={setPersonIds} data-testid="assign-people" />
          <MultiSelect label={t('assign.schedules')} searchable data={schedules.items.map((s) => ({ value: s.id, label: s.name }))} value={scheduleIds} onChange={setScheduleIds} data-testid="assign-schedules" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending} disabled={personIds.length + scheduleIds.length === 0} data-testid="assign-submit">
              {mode === 'assign' ? t('assign.reassignSubmit') : t('assign.addSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </ResponsiveModal>
  );
}

function EscalateDialog({ incident, onClose }: { incident: Incident; onClose: () => void }) {
  const escalate = useEscalateIncident(incident.id);
  const [level, setLevel] = useState<number>(Math.min((incident.escalation_level ?? 0) + 1, 10));
  const { t } = useTranslation('incidents');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    escalate.mutate(level, {
      onSuccess: () => {
        notifySuccess(t('escalate.done', { level }));
        onClose();
      },
      onError: (error) => notifyError(error),
    });
  };
  return (
    <ResponsiveModal opened onClose={onClose} title={<Title order={4}>{t('escalate.title', { number: incident.number })}</Title>}>
      <form onSubmit={submit} aria-label={t('escalate.formLabel')} data-testid="escalate-form">
        <Stack>
          <Text size="sm" c="dimmed">
            {t('escalate.hint', { level: incident.escalation_level ?? '—' })}
          </Text>
          <NumberInput label={t('escalate.level')} min={1} max={10} value={level} onChange={(v) => setLevel(typeof v === 'number' ? v : 1)} data-testid="escalate-level" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" color="red" loading={escalate.isPending} data-testid="escalate-submit">
              {t('escalate.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </ResponsiveModal>
  );
}

function MergeDialog({ incident, onClose }: { incident: Incident; onClose: () => void }) {
  const merge = useMergeIncidents(incident.id);
  const candidates = useIncidents({ channelId: incident.channel_id });
  const [sourceIds, setSourceIds] = useState<string[]>([]);
  const { t } = useTranslation('incidents');
  const options = candidates.items.filter((i) => i.id !== incident.id && i.merged_into === null).map((i) => ({ value: i.id, label: `#${i.number} ${i.title}` }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    merge.mutate(sourceIds, {
      onSuccess: () => {
        notifySuccess(t('merge.done', { number: incident.number }));
        onClose();
      },
      onError: (error) => notifyError(error),
    });
  };
  return (
    <ResponsiveModal opened onClose={onClose} title={<Title order={4}>{t('merge.title', { number: incident.number })}</Title>}>
      <form onSubmit={submit} aria-label={t('merge.formLabel')} data-testid="merge-form">
        <Stack>
          <Text size="sm" c="dimmed">
            {t('merge.hint')}
          </Text>
          <MultiSelect label={t('merge.sources')} searchable data={options} value={sourceIds} onChange={setSourceIds} maxValues={20} data-testid="merge-sources" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={merge.isPending} disabled={sourceIds.length === 0} data-testid="merge-submit">
              {t('merge.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </ResponsiveModal>
  );
}

/** Assignees, responders and custom field values, for the incident summary. */
export function IncidentPeopleAndFields({ incident }: { incident: Incident }) {
  const fields = useCustomFields();
  const { t } = useTranslation('incidents');
  const values = (fields.data ?? []).filter((f) => incident.custom_fields[f.name] !== undefined && incident.custom_fields[f.name] !== null);
  if (incident.assignees.length + incident.responders.length + values.length === 0 && !incident.impact) return null;
  const show = (value: unknown) => (Array.isArray(value) ? value.join(', ') : value === true ? t('common:yes') : value === false ? t('common:no') : String(value));
  const onCall = (a: { type: string; name: string }) => (a.type === 'schedule' ? t('people.onCall', { name: a.name }) : a.name);
  return (
    <Stack gap={6} data-testid="incident-people-fields">
      {incident.impact && (
        <Text size="sm">
          <Text span fw={600} inherit>
            {t('people.impact')}{' '}
          </Text>
          {incident.impact}
        </Text>
      )}
      {incident.assignees.length > 0 && (
        <Group gap={6}>
          <Text size="sm" fw={600}>
            {t('people.assignedTo')}
          </Text>
          {incident.assignees.map((a) => (
            <Badge key={a.id} variant="light" tt="none">
              {onCall(a)}
            </Badge>
          ))}
        </Group>
      )}
      {incident.responders.length > 0 && (
        <Group gap={6}>
          <Text size="sm" fw={600}>
            {t('people.responders')}
          </Text>
          {incident.responders.map((a) => (
            <Badge key={a.id} variant="outline" tt="none">
              {onCall(a)}
            </Badge>
          ))}
        </Group>
      )}
      {values.length > 0 && (
        <Group gap={6}>
          {values.map((f) => (
            <Badge key={f.id} variant="default" tt="none" data-testid={`field-value-${f.name}`}>
              {f.label}: {show(incident.custom_fields[f.name])}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}
