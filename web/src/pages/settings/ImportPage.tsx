import { Alert, Badge, Button, Code, Group, Paper, PasswordInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconFileImport } from '@tabler/icons-react';
import { useState } from 'react';
import { IMPORT_VENDORS, useRunImport, type ImportReport, type ImportVendor } from '../../api/imports';
import { isAdmin, useCurrentUser } from '../../app/guards';
import { PageHeader } from '../../components/PageHeader';
import { notifyError, notifySuccess } from '../../lib/notify';

const ACTION_COLORS: Record<string, string> = { create: 'green', update: 'blue', unchanged: 'gray', match: 'grape' };

/** `/settings/import`: bring people, teams, schedules, escalation policies and services over from another tool. */
export function ImportPage() {
  const me = useCurrentUser();
  const [vendor, setVendor] = useState<ImportVendor>('pagerduty');
  const [url, setUrl] = useState<string>(IMPORT_VENDORS[1].url);
  const [token, setToken] = useState('');
  const [preview, setPreview] = useState<ImportReport | undefined>();
  const [result, setResult] = useState<ImportReport | undefined>();
  const run = useRunImport();

  if (!isAdmin(me)) return <PageHeader title="Import" description="Only administrators can import from other tools." />;

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
            notifySuccess('Import finished');
          }
        },
        onError: (error) => notifyError(error, dryRun ? 'Could not read the account' : 'Import failed'),
      },
    );

  const report = result ?? preview;
  return (
    <>
      <PageHeader
        title="Import"
        description="Bring people, teams, schedules, escalation policies and services over from Opsgenie, PagerDuty or Grafana OnCall. Preview first: nothing is written until you import. People come with unverified contacts, so nobody is paged until they verify."
      />
      <Paper withBorder radius="md" p="md" mb="md">
        <Stack>
          <Group grow align="flex-end">
            <Select
              label="Tool"
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
            <TextInput label="API URL" value={url} onChange={(e) => setUrl(e.currentTarget.value)} data-testid="import-url" />
            <PasswordInput label="API token" value={token} onChange={(e) => setToken(e.currentTarget.value)} data-testid="import-token" />
          </Group>
          <Group>
            <Button variant="default" onClick={() => submit(true)} loading={run.isPending && run.variables?.dry_run === true} disabled={!token || !url} data-testid="import-preview">
              Preview
            </Button>
            <Button leftSection={<IconFileImport size={16} />} onClick={() => submit(false)} loading={run.isPending && run.variables?.dry_run === false} disabled={!preview || !token} data-testid="import-run">
              Import
            </Button>
            {!preview && <Text size="sm" c="dimmed">Preview the plan before importing.</Text>}
          </Group>
        </Stack>
      </Paper>
      {report && <ImportReportView report={report} />}
    </>
  );
}

function ImportReportView({ report }: { report: ImportReport }) {
  return (
    <Stack data-testid="import-report">
      <Title order={4}>{report.dry_run ? 'Preview: what the import will do' : 'Imported'}</Title>
      <Paper withBorder radius="md">
        <Table verticalSpacing="xs" data-testid="import-items">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Action</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Detail</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.items.map((item, index) => (
              <Table.Tr key={index}>
                <Table.Td>
                  <Badge color={ACTION_COLORS[item.action] ?? 'gray'} variant="light">
                    {item.action}
                  </Badge>
                </Table.Td>
                <Table.Td>{item.kind.replace('_', ' ')}</Table.Td>
                <Table.Td>{item.name}</Table.Td>
                <Table.Td>{item.detail ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {report.unmapped.length > 0 && (
        <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Cannot be mapped" data-testid="import-unmapped">
          <Stack gap={4}>
            {report.unmapped.map((u, index) => (
              <Text size="sm" key={index}>
                <b>{u.kind}</b> {u.name}: {u.reason}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      <Title order={5}>Replace URLs in your monitoring tools</Title>
      <Paper withBorder radius="md">
        <Table verticalSpacing="xs" data-testid="import-replacements">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Integration</Table.Th>
              <Table.Th>In the tool, replace</Table.Th>
              <Table.Th>With</Table.Th>
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
