import { Type } from 'typebox';
import { type Api, errorResponses, IdParams, NoContent, PageParams } from '../core/api.js';
import { pageLoaded, pageRequest, toPage } from '../db/pagination.js';
import { contextOf } from '../people/request-context.js';
import type { IncidentsService } from '../incidents/service.js';
import type { NotifyService } from './service.js';

const Methods = Type.Array(Type.String());
const PreferencesSchema = Type.Object(
  { Critical: Methods, Warning: Methods, Info: Methods },
  { description: 'methods per severity: voice, sms, email, push, im' },
);
const ProviderSchema = Type.Object({
  id: Type.String(),
  provider: Type.String(),
  name: Type.String(),
  enabled: Type.Boolean(),
  methods: Type.Array(Type.String()),
  settings: Type.Record(Type.String(), Type.Unknown(), { description: 'secrets are shown as ••••••; send •••••• back to keep them' }),
  created_at: Type.Integer(),
});

/** Notification providers, personal preferences and the delivery log. */
export function registerNotifyRoutes(app: Api, deps: { notify: NotifyService; incidents: IncidentsService }): void {
  const { notify } = deps;

  app.get(
    '/api/v1/notification-provider-types',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Provider kinds with their settings fields (the console draws forms from them)',
        response: { 200: Type.Object({ data: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), methods: Type.Array(Type.String()), fields: Type.Array(Type.Unknown()) })) }) },
      },
    },
    async (request) => {
      contextOf(request);
      return { data: notify.describeProviders().map((d) => ({ ...d, methods: [...d.methods], fields: [...d.fields] })) };
    },
  );

  app.get(
    '/api/v1/notification-providers',
    { schema: { tags: ['notifications'], summary: 'Configured providers and group chats', querystring: PageParams, response: { 200: Type.Object({ data: Type.Array(ProviderSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses } } },
    async (request) => pageLoaded(await notify.list(contextOf(request).actor), pageRequest(request.query.limit, request.query.cursor), (p) => ({ ...p, methods: [...p.methods] }), (p) => p.id),
  );

  app.post(
    '/api/v1/notification-providers',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Configure a provider (admins); settings are validated against its fields, secrets stored encrypted',
        body: Type.Object({ provider: Type.String({ maxLength: 40 }), name: Type.String({ maxLength: 100 }), enabled: Type.Optional(Type.Boolean()), settings: Type.Record(Type.String(), Type.Unknown()) }),
        response: { 201: ProviderSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await notify.create(contextOf(request), request.body);
      return reply.code(201).send({ ...created, methods: [...created.methods] });
    },
  );

  app.patch(
    '/api/v1/notification-providers/:id',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Change a provider configuration (admins)',
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Type.String({ maxLength: 100 })), enabled: Type.Optional(Type.Boolean()), settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }),
        response: { 200: ProviderSchema, ...errorResponses },
      },
    },
    async (request) => {
      const updated = await notify.update(contextOf(request), request.params.id, request.body);
      return { ...updated, methods: [...updated.methods] };
    },
  );

  app.delete(
    '/api/v1/notification-providers/:id',
    { schema: { tags: ['notifications'], summary: 'Remove a provider configuration (admins)', params: IdParams, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await notify.remove(contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/notification-preferences',
    { schema: { tags: ['me'], summary: 'My notification methods per severity', response: { 200: PreferencesSchema, ...errorResponses } } },
    async (request) => notify.preferences(contextOf(request).actor.person.id).then((p) => ({ Critical: [...p.Critical], Warning: [...p.Warning], Info: [...p.Info] })),
  );

  app.get(
    '/api/v1/me/notification-methods',
    {
      schema: {
        tags: ['me'],
        summary: 'Which notification methods can reach me now, and why the others cannot',
        response: {
          200: Type.Object({ data: Type.Array(Type.Object({ method: Type.String(), available: Type.Boolean(), reason: Type.Optional(Type.String()) })) }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ data: await notify.methodAvailability(contextOf(request).actor.person.id) }),
  );

  app.put(
    '/api/v1/me/notification-preferences',
    { schema: { tags: ['me'], summary: 'Set my notification methods per severity', body: PreferencesSchema, response: { 200: PreferencesSchema, ...errorResponses } } },
    async (request) => notify.setPreferences(contextOf(request), request.body).then((p) => ({ Critical: [...p.Critical], Warning: [...p.Warning], Info: [...p.Info] })),
  );

  app.get(
    '/api/v1/incidents/:id/deliveries',
    {
      schema: {
        tags: ['notifications'],
        summary: "An incident's delivery log, newest first: every message, its method, status and last error",
        params: IdParams,
        querystring: PageParams,
        response: {
          200: Type.Object({
            data: Type.Array(
              Type.Object({ id: Type.String(), method: Type.String(), kind: Type.String(), recipient: Type.Unknown(), status: Type.String(), attempts: Type.Integer(), last_error: Type.Union([Type.String(), Type.Null()]), waiting_reason: Type.Union([Type.String(), Type.Null()]), next_attempt_at: Type.Union([Type.Integer(), Type.Null()]), created_at: Type.Integer(), sent_at: Type.Union([Type.Integer(), Type.Null()]) }),
            ),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { actor } = contextOf(request);
      await deps.incidents.get(actor, request.params.id);
      const page = pageRequest(request.query.limit, request.query.cursor);
      const rows = await notify.deliveries(actor, request.params.id, page.limit, page.after?.[1]);
      return toPage(rows, page, () => '', (m) => ({ id: m.id, method: m.method, kind: m.kind, recipient: JSON.parse(m.recipient_json) as unknown, status: m.status, attempts: m.attempts, last_error: m.last_error, waiting_reason: m.status === 'pending' ? (m.wait_reason ?? null) : null, next_attempt_at: m.status === 'pending' ? Number(m.next_attempt_at) : null, created_at: m.created_at, sent_at: m.sent_at }));
    },
  );
}
