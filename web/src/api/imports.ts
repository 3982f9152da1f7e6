/** Settings → Import: runs an importer as a dry run (the preview) or for real (`POST /api/v1/imports`). */
import { useMutation } from '@tanstack/react-query';
import { api, call } from './http';

export const IMPORT_VENDORS = [
  { value: 'opsgenie', label: 'Opsgenie', url: 'https://api.opsgenie.com' },
  { value: 'pagerduty', label: 'PagerDuty', url: 'https://api.pagerduty.com' },
  { value: 'grafana-oncall', label: 'Grafana OnCall', url: 'https://oncall.example.com/api/v1' },
] as const;
export type ImportVendor = (typeof IMPORT_VENDORS)[number]['value'];

export interface ImportInput {
  readonly vendor: ImportVendor;
  readonly url: string;
  readonly token: string;
  readonly dry_run: boolean;
}

function runImport(body: ImportInput) {
  return call(api.POST('/api/v1/imports', { body }));
}

export type ImportReport = Awaited<ReturnType<typeof runImport>>;

export function useRunImport() {
  return useMutation({ mutationFn: runImport });
}
