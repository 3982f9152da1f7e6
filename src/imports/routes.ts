/** Settings → Import: `POST /api/v1/imports` runs an importer, as a dry run (the preview) or for real. */
import { Type } from 'typebox';
import { type Api, errorResponses } from '../core/api.js';
import type { Clock } from '../core/clock.js';
import { AppError, forbidden } from '../core/errors.js';
import { isAdmin } from '../people/model.js';
import { contextOf } from '../people/request-context.js';
import { VENDORS, type Vendor } from './model.js';
import { runImport } from './run.js';
import type { ImportService } from './service.js';
import { VendorError } from './vendor-http.js';

const Item = Type.Object({ kind: Type.String(), name: Type.String(), action: Type.String(), detail: Type.Optional(Type.String()) });
const Report = Type.Object({
  vendor: Type.String(),
  dry_run: Type.Boolean(),
  items: Type.Array(Item),
  unmapped: Type.Array(Type.Object({ kind: Type.String(), name: Type.String(), reason: Type.String() })),
  replacements: Type.Array(Type.Object({ integration: Type.String(), old_url: Type.String(), new_url: Type.String() })),
});

export function registerImportRoutes(app: Api, deps: { imports: ImportService; clock: Clock; fetch?: typeof fetch | undefined }): void {
  app.post(
    '/api/v1/imports',
    {
      schema: {
        tags: ['imports'],
        summary: 'Import people, teams, schedules, escalation policies and services from Opsgenie, PagerDuty or Grafana OnCall (admins)',
        body: Type.Object({
          vendor: Type.Union(VENDORS.map((v) => Type.Literal(v))),
          url: Type.String({ minLength: 8, maxLength: 500, description: 'the vendor API base URL' }),
          token: Type.String({ minLength: 1, maxLength: 500 }),
          dry_run: Type.Boolean({ description: 'true: only the plan, nothing is written' }),
        }),
        response: { 200: Report, ...errorResponses },
      },
    },
    async (request) => {
      const context = contextOf(request);
      // Before any vendor request: an import creates people and teams, and its URL is an outbound request.
      if (!isAdmin(context.actor)) throw forbidden('only administrators can import from another tool');
      const body = request.body;
      if (!/^https?:\/\//.test(body.url)) throw new AppError('InvalidParameter', 'url: must start with http:// or https://', 'url');
      try {
        const report = await runImport({ imports: deps.imports, clock: deps.clock, fetch: deps.fetch }, context, { vendor: body.vendor as Vendor, url: body.url, token: body.token, dryRun: body.dry_run });
        return {
          vendor: report.vendor,
          dry_run: report.dryRun,
          items: report.items.map((i) => ({ kind: i.kind, name: i.name, action: i.action, ...(i.detail && { detail: i.detail }) })),
          unmapped: [...report.unmapped],
          replacements: report.replacements.map((r) => ({ integration: r.integration, old_url: r.oldUrl, new_url: r.newUrl })),
        };
      } catch (error) {
        // The vendor's answer is the user's problem to fix (token, URL), never a 5xx of ours.
        if (error instanceof VendorError) throw new AppError('InvalidParameter', `url: ${error.message}`, 'url');
        throw error;
      }
    },
  );
}
