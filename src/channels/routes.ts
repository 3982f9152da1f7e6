import { Type } from 'typebox';
import { type Api, errorResponses, IdParams, NoContent, PageQuery, pageOf } from '../core/api.js';
import { pageRequest } from '../db/pagination.js';
import type { Actor } from '../people/model.js';
import { contextOf } from '../people/request-context.js';
import type { Channel } from './model.js';
import type { ChannelsService } from './service.js';

const ChannelSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  team_id: Type.String({ description: 'the management team that owns the channel' }),
  team_name: Type.String(),
  managing_team_ids: Type.Array(Type.String(), { description: 'up to 3 more teams that may change it' }),
  private: Type.Boolean({ description: 'private channels are invisible to everyone outside their teams' }),
  disabled: Type.Boolean(),
  created_at: Type.Integer(),
  updated_at: Type.Integer(),
  can_manage: Type.Boolean({ description: 'whether the caller may change its configuration' }),
});

const ChannelFields = {
  name: Type.String({ maxLength: 200 }),
  description: Type.String({ maxLength: 1000 }),
  team_id: Type.String({ maxLength: 64 }),
  managing_team_ids: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10 }),
  private: Type.Boolean(),
  disabled: Type.Boolean(),
};

/** Channels: the war rooms. Access rules live in the service. */
export function registerChannelRoutes(app: Api, deps: { channels: ChannelsService }): void {
  const { channels } = deps;

  function present(actor: Actor, c: Channel) {
    return {
      id: c.id,
      name: c.name,
      description: c.description,
      team_id: c.teamId,
      team_name: c.teamName,
      managing_team_ids: [...c.managingTeamIds],
      private: c.private,
      disabled: c.disabled,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      can_manage: channels.canManage(actor, c),
    };
  }

  app.get(
    '/api/v1/channels',
    { schema: { tags: ['channels'], summary: 'Channels I may see', querystring: PageQuery, response: { 200: pageOf(ChannelSchema), ...errorResponses } } },
    async (request) => {
      const { actor } = contextOf(request);
      const page = await channels.list(actor, pageRequest(request.query.limit, request.query.cursor), request.query.q);
      return { data: page.data.map((c) => present(actor, c)), next_cursor: page.next_cursor };
    },
  );

  app.post(
    '/api/v1/channels',
    {
      schema: {
        tags: ['channels'],
        summary: 'Create a channel owned by one of my teams',
        body: Type.Object({
          name: ChannelFields.name,
          team_id: ChannelFields.team_id,
          private: Type.Optional(ChannelFields.private),
          description: Type.Optional(ChannelFields.description),
          managing_team_ids: Type.Optional(ChannelFields.managing_team_ids),
        }),
        response: { 201: ChannelSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const { name, team_id, description, managing_team_ids } = request.body;
      const channel = await channels.create(ctx, { name, teamId: team_id, description, managingTeamIds: managing_team_ids, private: request.body.private ?? false });
      return reply.code(201).send(present(ctx.actor, channel));
    },
  );

  app.get(
    '/api/v1/channels/:id',
    { schema: { tags: ['channels'], summary: 'Get a channel', params: IdParams, response: { 200: ChannelSchema, ...errorResponses } } },
    async (request) => {
      const { actor } = contextOf(request);
      return present(actor, await channels.get(actor, request.params.id));
    },
  );

  app.patch(
    '/api/v1/channels/:id',
    {
      schema: {
        tags: ['channels'],
        summary: 'Change, disable or enable a channel',
        params: IdParams,
        body: Type.Partial(Type.Object(ChannelFields)),
        response: { 200: ChannelSchema, ...errorResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const b = request.body;
      const channel = await channels.update(ctx, request.params.id, {
        name: b.name,
        description: b.description,
        teamId: b.team_id,
        managingTeamIds: b.managing_team_ids,
        private: b.private,
        disabled: b.disabled,
      });
      return present(ctx.actor, channel);
    },
  );

  app.delete(
    '/api/v1/channels/:id',
    { schema: { tags: ['channels'], summary: 'Delete a channel', params: IdParams, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await channels.remove(contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
