/**
 * One import: read the vendor account, map it, then plan or apply it. Shared by the CLI
 * (`tocsin import …`) and the console's Settings → Import.
 */
import type { Clock } from '../core/clock.js';
import type { RequestContext } from '../people/audit.js';
import type { Bundle, ImportReport, Vendor } from './model.js';
import type { ImportService } from './service.js';
import { createVendorFetch, type VendorFetch } from './vendor-http.js';
import { pagerDutyBundle, readPagerDuty } from './pagerduty.js';
import { opsgenieBundle, readOpsgenie } from './opsgenie.js';
import { grafanaOncallBundle, readGrafanaOncall } from './grafana-oncall.js';

export interface ImportRequest {
  readonly vendor: Vendor;
  /** The vendor API base URL, e.g. https://api.pagerduty.com, https://api.opsgenie.com, https://oncall.example.com/api/v1 */
  readonly url: string;
  readonly token: string;
  readonly dryRun: boolean;
}

const AUTH: Readonly<Record<Vendor, (token: string) => Record<string, string>>> = {
  pagerduty: (token) => ({ authorization: `Token token=${token}`, accept: 'application/vnd.pagerduty+json;version=2' }),
  opsgenie: (token) => ({ authorization: `GenieKey ${token}` }),
  'grafana-oncall': (token) => ({ authorization: token }),
};

/** Reads and maps a vendor account. */
export async function readBundle(vendor: Vendor, http: VendorFetch, now: number): Promise<Bundle> {
  switch (vendor) {
    case 'pagerduty':
      return pagerDutyBundle(await readPagerDuty(http, now), now);
    case 'opsgenie':
      return opsgenieBundle(await readOpsgenie(http), now);
    case 'grafana-oncall':
      return grafanaOncallBundle(await readGrafanaOncall(http), now);
  }
}

export async function runImport(deps: { imports: ImportService; clock: Clock; fetch?: typeof fetch }, ctx: RequestContext, request: ImportRequest): Promise<ImportReport> {
  const http = createVendorFetch({ base: request.url, headers: AUTH[request.vendor](request.token), fetch: deps.fetch });
  const bundle = await readBundle(request.vendor, http, deps.clock.now());
  return deps.imports.run(ctx, bundle, { dryRun: request.dryRun });
}
