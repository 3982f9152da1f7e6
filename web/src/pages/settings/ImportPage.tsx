import { Alert, Badge, Button, Code, Group, Paper, PasswordInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconFileImport } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IMPORT_VENDORS, useRunImport, type ImportReport, type ImportVendor } from '../../api/imports';
import { isAdmin, useCurrentUser } from '../../app/guards';
import { PageHeader } from '../../components/PageHeader';
import { importText } from '../../i18n/importText';
import { notifyError, notifySuccess } from '../../lib/notify';

const ACTION_COLORS: Record<string, string> = { create: 'green', update: 'blue', unchanged: 'gray', match: 'grape' };

/** `/settings/import`: bring people, teams, schedules, escalation policies and services over from another tool. */
export function ImportPage() {
  const { t } = useTranslation('settings');
  const me = useCurrentUser();
  const [vendor, setVendor] = useState<ImportVendor>('pagerduty');
  const [url, setUrl] = useState<string>(IMPORT_VENDORS[1].url);
  const [token, setToken] = useState('');
  const [preview, setPreview] = useState<ImportReport | undefined>();
  const [result, setResult] = useState<ImportReport | undefined>();
  const run = useRunImport();

  if (!isAdmin(me)) return <PageHeader title={t('import.title')} description={t('import.adminOnly')} />;

  const submit = (dryRun: boolean) =>
    run.mutate(
      { vendor, url: url.trim(), token, dry_run: dryRun },
      {
        onSuccess: (report) => {
          if (dryRun) {
            setPreview(report);
            setResult(undefined);
          } else {
            setResult(report);
            notifySuccess(t('import.finished'));
          }
        },
        onError: (error) => notifyError(error, dryRun ? t('import.readFailed') : t('import.failed')),
      },
    );

  const report = result ?? preview;
  return (
    <>
      <PageHeader
        title={t('import.title')}
        description={t('import.description')}
      />
      <Paper withBorder radius="md" p="md" mb="md">
        <Stack>
          <Group grow align="flex-end">
            <Select
              label={t('import.tool')}
              data={IMPORT_VENDORS.map((v) => ({ value: v.value, label: v.label }))}
              value={vendor}
              allowDeselect={false}
              data-testid="import-vendor"
              onChange={(value) => {
                const next = IMPORT_VENDORS.find((v) => v.value === value);
                if (!next) return;
                setVendor(next.value);
                setUrl(next.url);
                setPreview(undefined);
                setResult(undefined);
              }}
            />
            <TextInput label={t('import.url')} value={url} onChange={(e) => setUrl(e.currentTarget.value)} data-testid="import-url" />
            <PasswordInput label={t('import.token')} value={token} onChange={(e) => setToken(e.currentTarget.value)} data-testid="import-token" />
          </Group>
          <Group>
            <Button variant="default" onClick={() => submit(true)} loading={run.isPending && run.variables?.dry_run === true} disabled={!token || !url} data-testid="import-preview">
              {t('import.preview')}
            </Button>
            <Button leftSection={<IconFileImport size={16} />} onClick={() => submit(false)} loading={run.isPending && run.variables?.dry_run === false} disabled={!preview || !token} data-testid="import-run">
              {t('import.run')}
            </Button>
            {!preview && <Text size="sm" c="dimmed">{t('import.previewFirst')}</Text>}
          </Group>
        </Stack>
      </Paper>
      {report && <ImportReportView report={report} />}
    </>
  );
}

function ImportReportView({ report }: { report: ImportReport }) {
  const { t } = useTranslation('settings');
  // Actions and kinds the console knows are translated; anything newer is shown as the server names it.
  const kindLabel = (kind: string) => t(`import.kinds.${kind.replace(/\s+/g, '_')}`, { defaultValue: kind.replace('_', ' ') });
  return (
    <Stack data-testid="import-report">
      <Title order={4}>{report.dry_run ? t('import.previewTitle') : t('import.imported')}</Title>
      <Paper withBorder radius="md">
        <Table verticalSpacing="xs" data-testid="import-items">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('import.columns.action')}</Table.Th>
              <Table.Th>{t('import.columns.kind')}</Table.Th>
              <Table.Th>{t('import.columns.name')}</Table.Th>
              <Table.Th>{t('import.columns.detail')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.items.map((item, index) => (
              <Table.Tr key={index}>
                <Table.Td>
                  <Badge color={ACTION_COLORS[item.action] ?? 'gray'} variant="light">
                    {t(`import.actions.${item.action}`, { defaultValue: item.action })}
                  </Badge>
                </Table.Td>
                <Table.Td>{kindLabel(item.kind)}</Table.Td>
                <Table.Td>{item.name}</Table.Td>
                <Table.Td>{item.detail ? importText(item.detail) : ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {report.unmapped.length > 0 && (
        <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title={t('import.unmapped')} data-testid="import-unmapped">
          <Stack gap={4}>
            {report.unmapped.map((u, index) => (
              <Text size="sm" key={index}>
                <b>{kindLabel(u.kind)}</b> {u.name}{t('import.nameSeparator')}{importText(u.reason)}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      <Title order={5}>{t('import.replaceTitle')}</Title>
      <Paper withBorder radius="md">
        <Table verticalSpacing="xs" data-testid="import-replacements">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('import.columns.integration')}</Table.Th>
              <Table.Th>{t('import.columns.replace')}</Table.Th>
              <Table.Th>{t('import.columns.with')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.replacements.map((r, index) => (
              <Table.Tr key={index}>
                <Table.Td>{r.integration}</Table.Td>
                <Table.Td>
                  <Code>{r.old_url}</Code>
                </Table.Td>
                <Table.Td>
                  <Code>{r.new_url}</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
