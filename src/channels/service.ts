import type { Clock } from '../core/clock.js';
import { conflict, forbidden, invalid, notFound, throwIfInvalid } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Executor } from '../db/types.js';
import { isUniqueViolation } from '../db/types.js';
import { toPage, type Page, type PageRequest } from '../db/pagination.js';
import { canWrite, isAdmin, type Actor } from '../people/model.js';
import { existingTeamIds } from '../people/teams-store.js';
import { recordAudit, type RequestContext } from '../people/audit.js';
import { canManageChannel, canSeeChannel, normalizeChannelInput, type Channel, type ChannelInput } from './model.js';
import * as store from './store.js';

export interface ChannelsDeps {
  readonly db: Executor;
  readonly clock: Clock;
  /** Told after a channel's change or removal commits (caches of its runtime state drop it). */
  readonly onChanged?: ((channelId: string) => void) | undefined;
}

function auditView(c: Channel): object {
  return { name: c.name, description: c.description, team_id: c.teamId, managing_team_ids: c.managingTeamIds, private: c.private, disabled: c.disabled };
}

/** Channels, with the access policy enforced here rather than in routes. */
export function createChannelsService(deps: ChannelsDeps) {
  const { db, clock } = deps;

  /** Loads a channel the actor may see; a hidden private channel is indistinguishable from a missing one. */
  async function loadVisible(trx: Executor, actor: Actor, id: string): Promise<Channel> {
    const channel = await store.findChannel(trx, id);
    if (!channel || !canSeeChannel(actor, channel)) throw notFound('channel');
    return channel;
  }

  async function loadManaged(trx: Executor, actor: Actor, id: string): Promise<Channel> {
    const channel = await loadVisible(trx, actor, id);
    if (!canManageChannel(actor, channel)) throw forbidden("only the channel's owning or managing teams and administrators may change it");
    return channel;
  }

  /** The referenced teams must exist, and a responder may only hand a channel to a team they are in. */
  async function checkTeams(trx: Executor, actor: Actor, value: ChannelInput): Promise<void> {
    const wanted = [...(value.teamId ? [value.teamId] : []), ...(value.managingTeamIds ?? [])];
    const existing = await existingTeamIds(trx, wanted);
    if (value.teamId && !existing.has(value.teamId)) throw invalid('team_id', 'no team with this id');
    const missing = (value.managingTeamIds ?? []).find((id) => !existing.has(id));
    if (missing) throw invalid('managing_team_ids', `no team with id ${missing}`);
    if (value.teamId && !isAdmin(actor) && !actor.teamIds.has(value.teamId)) {
      throw invalid('team_id', 'you must be a member of the management team');
    }
  }

  function translateUnique(error: unknown): never {
    if (isUniqueViolation(error)) throw conflict('name', 'a channel with this name already exists');
    throw error;
  }

  return {
    async list(actor: Actor, page: PageRequest, search?: string): Promise<Page<Channel>> {
      const rows = await store.listVisibleChannels(db, page, { seeAll: isAdmin(actor), teamIds: [...actor.teamIds] }, search);
      return toPage(rows, page, (c) => c.name, (c) => c);
    },

    /** Pass the open transaction when calling from inside one (SQLite has a single connection). */
    async get(actor: Actor, id: string, trx: Executor = db): Promise<Channel> {
      return loadVisible(trx, actor, id);
    },

    async create(ctx: RequestContext, input: ChannelInput & { name: string; teamId: string }): Promise<Channel> {
      if (!canWrite(ctx.actor)) throw forbidden('viewers cannot create channels');
      const { value, errors } = normalizeChannelInput(input, input.teamId);
      throwIfInvalid(errors);
      const now = clock.now();
      const id = newId(now);
      try {
        await db.transaction().execute(async (trx) => {
          await checkTeams(trx, ctx.actor, value);
          await store.insertChannel(
            trx,
            {
              id,
              name: value.name ?? '',
              description: value.description ?? '',
              team_id: input.teamId,
              private: value.private ? 1 : 0,
              disabled: value.disabled ? 1 : 0,
              created_at: now,
              updated_at: now,
            },
            value.managingTeamIds ?? [],
          );
          const created = await store.findChannel(trx, id);
          await recordAudit(trx, ctx, now, { action: 'channel.create', targetType: 'channel', targetId: id, after: created && auditView(created) });
        });
      } catch (error) {
        translateUnique(error);
      }
      return loadVisible(db, ctx.actor, id);
    },

    async update(ctx: RequestContext, id: string, input: ChannelInput): Promise<Channel> {
      const now = clock.now();
      try {
        const updated = await db.transaction().execute(async (trx) => {
          const before = await loadManaged(trx, ctx.actor, id);
          const { value, errors } = normalizeChannelInput(input, input.teamId ?? before.teamId);
          throwIfInvalid(errors);
          await checkTeams(trx, ctx.actor, { teamId: value.teamId !== before.teamId ? value.teamId : undefined, managingTeamIds: value.managingTeamIds });
          await store.updateChannel(trx, id, {
            ...(value.name !== undefined && { name: value.name }),
            ...(value.description !== undefined && { description: value.description }),
            ...(value.teamId !== undefined && { team_id: value.teamId }),
            ...(value.private !== undefined && { private: value.private ? 1 : 0 }),
            ...(value.disabled !== undefined && { disabled: value.disabled ? 1 : 0 }),
            updated_at: now,
          });
          if (value.managingTeamIds !== undefined || value.teamId !== undefined) {
            const managing = (value.managingTeamIds ?? before.managingTeamIds).filter((t) => t !== (value.teamId ?? before.teamId));
            await store.replaceManagingTeams(trx, id, managing);
          }
          const after = await store.findChannel(trx, id);
          if (!after) throw notFound('channel');
          await recordAudit(trx, ctx, now, { action: 'channel.update', targetType: 'channel', targetId: id, before: auditView(before), after: auditView(after) });
          return after;
        });
        deps.onChanged?.(id);
        return updated;
      } catch (error) {
        translateUnique(error);
      }
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const before = await loadManaged(trx, ctx.actor, id);
        await store.deleteChannel(trx, id);
        await recordAudit(trx, ctx, now, { action: 'channel.delete', targetType: 'channel', targetId: id, before: auditView(before) });
      });
      deps.onChanged?.(id);
    },

    /** The channel if the actor may change its configuration; 404 when hidden, 403 when only visible. */
    async getManageable(actor: Actor, id: string, trx: Executor = db): Promise<Channel> {
      return loadManaged(trx, actor, id);
    },

    /** Ids of the channels the actor may see (to filter incidents and alerts across channels). */
    async visibleIds(actor: Actor): Promise<string[]> {
      return store.visibleChannelIds(db, { seeAll: isAdmin(actor), teamIds: [...actor.teamIds] });
    },

    /** Whether the actor may change this channel's configuration (for the console's controls). */
    canManage(actor: Actor, channel: Channel): boolean {
      return canManageChannel(actor, channel);
    },
  };
}

export type ChannelsService = ReturnType<typeof createChannelsService>;
