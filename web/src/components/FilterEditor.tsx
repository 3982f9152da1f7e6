import { severityLabel } from './IncidentBadges';
import { i18next } from '../i18n';
import { useTranslation } from 'react-i18next';
import {
  ActionIcon,
  Badge,
  Button,
  Divider,
  Group,
  Input,
  MultiSelect,
  Paper,
  Popover,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconHelp, IconPlus, IconX } from '@tabler/icons-react';
import type { Filter, FilterCondition, FilterGroup } from '../api/specs';
import { valueKind, valueProblem, type ValueKind } from '../lib/filter';

/**
 * The editor for the filter language (SPEC §2.5) used by routing, silence, inhibit, drop and
 * grouping cases: an OR of AND-groups of `{key, op, values}` conditions. It edits the wire shape
 * directly; the server validates on save and its field errors (e.g. `…[0][1].values`) are shown by
 * the caller through `error`.
 */

/** Keys a condition can look at; labels are `common:filter.keys.*`. */
const FIXED_KEYS = [
  { value: 'severity', key: 'severity' },
  { value: 'title', key: 'title' },
  { value: 'description', key: 'description' },
  { value: 'integration', key: 'integration' },
  { value: 'labels.', key: 'label' },
];

const OPS = ['in', 'not_in'] as const;

const SEVERITY_VALUES = ['Critical', 'Warning', 'Info'];

/** Value kinds with a label in `common:filter.kinds.*`. */
const KIND_KEYS: Record<ValueKind, string> = { regex: 'regex', cidr: 'cidr', num: 'num', wildcard: 'wildcard', exact: 'exact' };

export interface FilterEditorProps {
  value: Filter;
  onChange: (filter: Filter) => void;
  label?: string;
  description?: string;
  /** A server error for the whole filter, shown under it. */
  error?: string | null;
  /** What an empty filter means here, e.g. "Matches every alert". */
  emptyText?: string;
  /** Label names to suggest (e.g. from recent alerts). */
  labelSuggestions?: string[];
  /** Prefix for data-testid attributes, for several editors on one page. */
  testId?: string;
}

function newCondition(): FilterCondition {
  return { key: 'labels.', op: 'in', values: [] };
}

export function FilterEditor({ value, onChange, label, description, error, emptyText, labelSuggestions = [], testId = 'filter' }: FilterEditorProps) {
  const { t } = useTranslation();
  const setGroup = (index: number, group: FilterGroup) => onChange(value.map((g, i) => (i === index ? group : g)));
  const removeCondition = (gi: number, ci: number) => {
    const group = value[gi] ?? [];
    const rest = group.filter((_, i) => i !== ci);
    onChange(rest.length === 0 ? value.filter((_, i) => i !== gi) : value.map((g, i) => (i === gi ? rest : g)));
  };
  const addGroup = () => onChange([...value, [newCondition()]]);

  return (
    <Input.Wrapper
      label={
        label && (
          <Group gap={4} component="span">
            {label}
            <FilterHelp />
          </Group>
        )
      }
      labelElement="div"
      description={description}
      error={error}
      data-testid={`${testId}-editor`}
    >
      <Stack gap="xs" mt={label || description ? 6 : 0}>
        {value.length === 0 && (
          <Text size="sm" c="dimmed" fs="italic">
            {emptyText ?? t('filter.emptyEveryAlert')}
          </Text>
        )}
        {value.map((group, gi) => (
          <div key={gi}>
            {gi > 0 && (
              <Divider
                my={4}
                label={
                  <Badge variant="light" color="gray" size="sm">
                    {t('filter.or')}
                  </Badge>
                }
                labelPosition="center"
              />
            )}
            <Paper withBorder radius="md" p="xs" data-testid={`${testId}-group`}>
              <Stack gap="xs">
                {group.map((condition, ci) => (
                  <ConditionRow
                    key={ci}
                    first={ci === 0}
                    condition={condition}
                    labelSuggestions={labelSuggestions}
                    onChange={(next) => setGroup(gi, group.map((c, i) => (i === ci ? next : c)))}
                    onRemove={() => removeCondition(gi, ci)}
                    testId={testId}
                  />
                ))}
                <Group gap="xs">
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    leftSection={<IconPlus size={12} />}
                    onClick={() => setGroup(gi, [...group, newCondition()])}
                    data-testid={`${testId}-add-and`}
                  >
                    {t('filter.andCondition')}
                  </Button>
                </Group>
              </Stack>
            </Paper>
          </div>
        ))}
        <Group gap="xs">
          <Button size="compact-sm" variant="light" leftSection={<IconPlus size={14} />} onClick={addGroup} data-testid={`${testId}-add-group`}>
            {value.length === 0 ? t('filter.addCondition') : t('filter.orGroup')}
          </Button>
          {value.length > 0 && (
            <Button size="compact-sm" variant="subtle" color="gray" onClick={() => onChange([])}>
              {t('filter.clear')}
            </Button>
          )}
        </Group>
      </Stack>
    </Input.Wrapper>
  );
}

interface ConditionRowProps {
  condition: FilterCondition;
  first: boolean;
  labelSuggestions: string[];
  onChange: (condition: FilterCondition) => void;
  onRemove: () => void;
  testId: string;
}

function ConditionRow({ condition, first, labelSuggestions, onChange, onRemove, testId }: ConditionRowProps) {
  const isLabel = condition.key.startsWith('labels.');
  const labelName = isLabel ? condition.key.slice('labels.'.length) : '';
  const problems = condition.values.map((v) => valueProblem(v)).filter((p): p is string => p !== null);
  const kinds = [...new Set(condition.values.map(valueKind).filter((k) => k !== 'exact'))];
  const { t } = useTranslation();

  return (
    <Stack gap={4} data-testid={`${testId}-condition`}>
      <Group gap="xs" align="flex-start" wrap="wrap">
        <Text size="xs" c="dimmed" w={30} pt={8} ta="right" fw={600} tt="uppercase" visibleFrom="xs">
          {first ? t('filter.if') : t('filter.and')}
        </Text>
        <Select
          aria-label={t('filter.field')}
          data={FIXED_KEYS.map((k) => ({ value: k.value, label: t(`filter.keys.${k.key}`) }))}
          value={isLabel ? 'labels.' : condition.key}
          allowDeselect={false}
          onChange={(key) => key && onChange({ ...condition, key: key === 'labels.' ? `labels.${labelName}` : key, values: key === condition.key ? condition.values : [] })}
          w={{ base: '100%', xs: 150 }}
          size="sm"
          data-testid={`${testId}-key`}
        />
        {isLabel && (
          <TextInput
            aria-label={t('filter.labelName')}
            placeholder={t('filter.labelNamePlaceholder')}
            value={labelName}
            onChange={(event) => onChange({ ...condition, key: `labels.${event.currentTarget.value.trim()}` })}
            list={labelSuggestions.length ? `${testId}-label-names` : undefined}
            w={{ base: '100%', xs: 160 }}
            size="sm"
            error={labelName === '' ? true : undefined}
            data-testid={`${testId}-label-name`}
          />
        )}
        <Select
          aria-label={t('filter.operator')}
          data={OPS.map((op) => ({ value: op, label: t(`filter.ops.${op}`) }))}
          value={condition.op}
          allowDeselect={false}
          onChange={(op) => op && onChange({ ...condition, op: op === 'not_in' ? 'not_in' : 'in' })}
          w={{ base: '100%', xs: 130 }}
          size="sm"
          data-testid={`${testId}-op`}
        />
        <Group gap="xs" wrap="nowrap" align="flex-start" style={{ flex: '1 1 240px', minWidth: 0 }}>
          {condition.key === 'severity' ? (
            // A fixed set: a multi-select shows each chosen severity by its translated name, not its code.
            <MultiSelect
              aria-label={t('filter.values')}
              placeholder={condition.values.length ? undefined : t('filter.pickSeverities')}
              value={condition.values}
              onChange={(values) => onChange({ ...condition, values })}
              data={SEVERITY_VALUES.map((s) => ({ value: s, label: severityLabel(s) }))}
              clearable
              size="sm"
              style={{ flex: 1, minWidth: 0 }}
              error={condition.values.length === 0 || problems.length > 0 ? true : undefined}
              data-testid={`${testId}-values`}
            />
          ) : (
            <TagsInput
              aria-label={t('filter.values')}
              placeholder={condition.values.length ? undefined : t('filter.typeValue')}
              value={condition.values}
              onChange={(values) => onChange({ ...condition, values })}
              splitChars={[]}
              clearable
              size="sm"
              style={{ flex: 1, minWidth: 0 }}
              error={condition.values.length === 0 || problems.length > 0 ? true : undefined}
              data-testid={`${testId}-values`}
            />
          )}
          <Tooltip label={t('filter.removeCondition')}>
            <ActionIcon variant="subtle" color="gray" mt={4} onClick={onRemove} aria-label={t('filter.removeCondition')} data-testid={`${testId}-remove`}>
              <IconX size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      {(kinds.length > 0 || problems.length > 0 || condition.values.length === 0) && (
        <Group gap={6} pl={{ base: 0, xs: 38 }}>
          {condition.values.length === 0 && (
            <Text size="xs" c="dimmed">
              {t('filter.addValue')}
            </Text>
          )}
          {kinds.map((kind) => (
            <Badge key={kind} size="xs" variant="outline" color="gray">
              {t(`filter.kinds.${KIND_KEYS[kind]}`)}
            </Badge>
          ))}
          {problems.map((problem) => (
            <Text key={problem} size="xs" c="red">
              {problem}
            </Text>
          ))}
        </Group>
      )}
      {labelSuggestions.length > 0 && (
        <datalist id={`${testId}-label-names`}>
          {labelSuggestions.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      )}
    </Stack>
  );
}

/** The value syntax, one click away from every filter. */
export function FilterHelp() {
  const { t } = useTranslation();
  return (
    <Popover width={340} position="bottom-start" withArrow shadow="md">
      <Popover.Target>
        <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('filter.helpLabel')}>
          <IconHelp size={16} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={6}>
          <Text size="sm" fw={600}>
            {t('filter.helpTitle')}
          </Text>
          <HelpLine example="db-01" text={t('filter.helpExact')} />
          <HelpLine example="db-*  web-0?" text={t('filter.helpWildcard')} />
          <HelpLine example="/^db-\d+$/  /timeout/i" text={t('filter.helpRegex')} />
          <HelpLine example="cidr:10.0.0.0/24" text={t('filter.helpCidr')} />
          <HelpLine example="num:gt:90" text={t('filter.helpNum')} />
          <Text size="xs" c="dimmed">
            {t('filter.helpLogic')}
          </Text>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

function HelpLine({ example, text }: { example: string; text: string }) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      <Text ff="monospace" size="xs" w={130} style={{ flexShrink: 0 }}>
        {example}
      </Text>
      <Text size="xs" c="dimmed">
        {text}
      </Text>
    </Group>
  );
}

/** A one-line, human reading of a filter for lists ("labels.env is any of prod"). */
export function describeFilter(filter: Filter): string {
  const t = i18next.t;
  if (filter.length === 0) return t('common:filter.everyAlert');
  return filter
    .map((group) => group.map((c) => `${c.key} ${c.op === 'in' ? t('common:filter.is') : t('common:filter.isNot')} ${c.values.join(' | ') || '…'}`).join(` ${t('common:filter.and')} `))
    .join(`  ${t('common:filter.or')}  `);
}
