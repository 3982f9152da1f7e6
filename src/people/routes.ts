import { Type } from 'typebox';
import { type Api, errorResponses, IdParams, NoContent, PageQuery, pageOf } from '../core/api.js';
import { forbidden } from '../core/errors.js';
import { pageRequest } from '../db/pagination.js';
import type { Executor } from '../db/types.js';
import { isAdmin, ROLES } from './model.js';
import type { PeopleService } from './service.js';
import { PersonSchema, presentPerson, presentPersonTo } from './present.js';
import { contextOf } from './request-context.js';
import { listAudit } from './audit.js';

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));

/** The people directory (everyone reads, admins write) and the audit log (admins). */
export function registerPeopleRoutes(app: Api, deps: { people: PeopleService; db: Executor }): void {
  const { people } = deps;

  app.get(
    '/api/v1/users',
    { schema: { tags: ['people'], summary: 'List people', querystring: PageQuery, response: { 200: pageOf(PersonSchema), ...errorResponses } } },
    async (request) => {
      const { actor } = contextOf(request);
      const page = await people.list(pageRequest(request.query.limit, request.query.cursor), request.query.q);
      return { data: page.data.map((p) => presentPersonTo(actor, p)), next_cursor: page.next_cursor };
    },
  );

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['people'],
        summary: 'Add a person (admins). Without a password the person only receives notifications.',
        body: Type.Object({
          email: Type.String({ maxLength: 254 }),
          name: Type.String({ maxLength: 100 }),
          role: RoleSchema,
          password: Type.Optional(Type.String({ maxLength: 256 })),
          phone: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 32 })])),
          time_zone: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 201: PersonSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { time_zone, ...rest } = request.body;
      const person = await people.create(contextOf(request), { ...rest, timeZone: time_zone });
      return reply.code(201).send(presentPerson(person));
    },
  );

  app.get(
    '/api/v1/users/:id',
    { schema: { tags: ['people'], summary: 'Get a person', params: IdParams, response: { 200: PersonSchema, ...errorResponses } } },
    async (request) => presentPersonTo(contextOf(request).actor, await people.get(request.params.id)),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'Change a person (admins)',
        params: IdParams,
        body: Type.Object({
          email: Type.Optional(Type.String({ maxLength: 254 })),
          name: Type.Optional(Type.String({ maxLength: 100 })),
          role: Type.Optional(RoleSchema),
          status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
          phone: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 32 })])),
          time_zone: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: PersonSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { time_zone, ...rest } = request.body;
      return presentPerson(await people.update(contextOf(request), request.params.id, { ...rest, timeZone: time_zone }));
    },
  );

  app.delete(
    '/api/v1/users/:id',
    { schema: { tags: ['people'], summary: 'Remove a person (admins)', params: IdParams, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await people.remove(contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  const AuditSchema = Type.Object({
    id: Type.String(),
    actor_id: Type.Union([Type.String(), Type.Null()]),
    actor_name: Type.String(),
    action: Type.String(),
    target_type: Type.String(),
    target_id: Type.String(),
    before: Type.Unknown(),
    after: Type.Unknown(),
    request_id: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.Integer(),
  });

  app.get(
    '/api/v1/audit-logs',
    {
      schema: {
        tags: ['audit'],
        summary: 'Configuration changes and actions, newest first (admins)',
        querystring: Type.Object({ ...PageQuery.properties, target_type: Type.Optional(Type.String({ maxLength: 32 })), target_id: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 200: pageOf(AuditSchema), ...errorResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      if (!isAdmin(ctx.actor)) throw forbidden('only administrators may read the audit log');
      const page = pageRequest(request.query.limit, request.query.cursor);
      const rows = await listAudit(deps.db, page, { targetType: request.query.target_type, targetId: request.query.target_id });
      const visible = rows.slice(0, page.limit);
      const last = visible[visible.length - 1];
      const next = rows.length > page.limit && last ? Buffer.from(JSON.stringify(['', last.id])).toString('base64url') : null;
      return { data: visible, next_cursor: next };
    },
  );
}
