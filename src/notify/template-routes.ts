import { Type } from 'typebox';
import { type Api, errorResponses, IdParams } from '../core/api.js';
import { contextOf } from '../people/request-context.js';
import type { ChannelTemplate, ChannelTemplatesService } from './channel-templates.js';

const Parts = Type.Object(
  {
    subject: Type.Optional(Type.String({ maxLength: 20_000 })),
    text: Type.Optional(Type.String({ maxLength: 20_000 })),
    html: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  { additionalProperties: false, description: 'template parts; empty or absent = the default' },
);
const TemplateSchema = Type.Object({ method: Type.String(), override: Parts, defaults: Parts, updated_at: Type.Union([Type.Integer(), Type.Null()]) });
const MethodParams = Type.Object({ id: Type.String({ maxLength: 64 }), method: Type.String({ maxLength: 16 }) });

function present(t: ChannelTemplate) {
  return { method: t.method, override: t.override, defaults: t.defaults, updated_at: t.updatedAt };
}

/** `/api/v1/channels/{id}/templates`: per-channel overrides of notification templates (SPEC §8.3). */
export function registerTemplateRoutes(app: Api, deps: { templates: ChannelTemplatesService }): void {
  app.get(
    '/api/v1/channels/:id/templates',
    { schema: { tags: ['channels'], summary: "A channel's notification templates per method: its overrides and the defaults", params: IdParams, response: { 200: Type.Object({ data: Type.Array(TemplateSchema) }), ...errorResponses } } },
    async (request) => ({ data: (await deps.templates.list(contextOf(request).actor, request.params.id)).map(present) }),
  );

  app.put(
    '/api/v1/channels/:id/templates/:method',
    { schema: { tags: ['channels'], summary: "Set a channel's template override of one method (empty parts use the default)", params: MethodParams, body: Parts, response: { 200: TemplateSchema, ...errorResponses } } },
    async (request) => present(await deps.templates.put(contextOf(request), request.params.id, request.params.method, request.body)),
  );

  app.post(
    '/api/v1/channels/:id/templates/:method/preview',
    {
      schema: {
        tags: ['channels'],
        summary: 'Render unsaved templates against the channel’s most recent incident (live preview)',
        params: MethodParams,
        body: Parts,
        response: {
          200: Type.Object({
            incident_id: Type.Union([Type.String(), Type.Null()]),
            content: Type.Object({ subject: Type.Optional(Type.String()), text: Type.String(), html: Type.Optional(Type.String()) }),
            errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => deps.templates.preview(contextOf(request).actor, request.params.id, request.params.method, request.body),
  );
}
