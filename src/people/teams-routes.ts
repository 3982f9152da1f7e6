import { Type } from 'typebox';
import { type Api, errorResponses, IdParams, NoContent, PageQuery, pageOf } from '../core/api.js';
import { pageRequest } from '../db/pagination.js';
import type { TeamsService } from './teams-service.js';
import { presentTeam, presentTeamDetail, TeamDetailSchema, TeamSchema } from './present.js';
import { contextOf } from './request-context.js';

/** Teams and membership. */
export function registerTeamRoutes(app: Api, deps: { teams: TeamsService }): void {
  const { teams } = deps;

  app.get(
    '/api/v1/teams',
    { schema: { tags: ['teams'], summary: 'List teams', querystring: PageQuery, response: { 200: pageOf(TeamSchema), ...errorResponses } } },
    async (request) => {
      contextOf(request);
      const page = await teams.list(pageRequest(request.query.limit, request.query.cursor), request.query.q);
      return { data: page.data.map(presentTeam), next_cursor: page.next_cursor };
    },
  );

  app.post(
    '/api/v1/teams',
    {
      schema: {
        tags: ['teams'],
        summary: 'Create a team',
        body: Type.Object({
          name: Type.String({ maxLength: 100 }),
          description: Type.Optional(Type.String({ maxLength: 1000 })),
          join: Type.Optional(Type.Boolean({ description: 'Add the creator as a member (always true for responders, who must belong to what they create; default false for admins)' })),
        }),
        response: { 201: TeamDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const team = await teams.create(contextOf(request), request.body);
      return reply.code(201).send(presentTeamDetail(team));
    },
  );

  app.get(
    '/api/v1/teams/:id',
    { schema: { tags: ['teams'], summary: 'Get a team with its members', params: IdParams, response: { 200: TeamDetailSchema, ...errorResponses } } },
    async (request) => {
      contextOf(request);
      return presentTeamDetail(await teams.get(request.params.id));
    },
  );

  app.patch(
    '/api/v1/teams/:id',
    {
      schema: {
        tags: ['teams'],
        summary: 'Rename or describe a team',
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Type.String({ maxLength: 100 })), description: Type.Optional(Type.String({ maxLength: 1000 })) }),
        response: { 200: TeamDetailSchema, ...errorResponses },
      },
    },
    async (request) => presentTeamDetail(await teams.update(contextOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/teams/:id',
    { schema: { tags: ['teams'], summary: 'Delete a team that owns nothing', params: IdParams, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await teams.remove(contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/teams/:id/members',
    {
      schema: {
        tags: ['teams'],
        summary: 'Add a person to a team',
        params: IdParams,
        body: Type.Object({ person_id: Type.String({ maxLength: 64 }) }),
        response: { 201: Type.Object({ team_id: Type.String(), person_id: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      await teams.addMember(contextOf(request), request.params.id, request.body.person_id);
      return reply.code(201).send({ team_id: request.params.id, person_id: request.body.person_id });
    },
  );

  app.delete(
    '/api/v1/teams/:id/members/:person_id',
    {
      schema: {
        tags: ['teams'],
        summary: 'Remove a person from a team',
        params: Type.Object({ id: Type.String({ maxLength: 64 }), person_id: Type.String({ maxLength: 64 }) }),
        response: { 204: NoContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await teams.removeMember(contextOf(request), request.params.id, request.params.person_id);
      return reply.code(204).send(null);
    },
  );
}
