import { Code, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../api/types';
import { diffSnapshots } from './auditDiff';

function Value({ value, tone }: { value: string | undefined; tone: 'before' | 'after' | 'same' }) {
  if (value === undefined) {
    return (
      <Text size="xs" c="dimmed">
        —
      </Text>
    );
  }
  const color = tone === 'before' ? 'red' : tone === 'after' ? 'teal' : undefined;
  return (
    <Code block color={color ? `${color}.1` : undefined} c={color ? `${color}.9` : undefined} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {value}
    </Code>
  );
}

/** The before/after of one audit entry, field by field. */
export function AuditDiff({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation('audit');
  const changes = diffSnapshots(entry.before, entry.after);
  if (changes.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('diff.none')}
      </Text>
    );
  }
  return (
    <Table withColumnBorders={false} verticalSpacing={6} highlightOnHover={false} data-testid="audit-diff">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="20%">{t('diff.field')}</Table.Th>
          <Table.Th w="40%">{t('diff.before')}</Table.Th>
          <Table.Th w="40%">{t('diff.after')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((change) => (
          <Table.Tr key={change.key}>
            <Table.Td>
              <Text size="sm" ff="monospace" fw={change.changed ? 600 : 400} c={change.changed ? undefined : 'dimmed'}>
                {change.key}
              </Text>
            </Table.Td>
            <Table.Td>
              <Value value={change.before} tone={change.changed ? 'before' : 'same'} />
            </Table.Td>
            <Table.Td>
              <Value value={change.after} tone={change.changed ? 'after' : 'same'} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
