import type { Clock } from '../core/clock.js';
import { conflict, forbidden, notFound, throwIfInvalid } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { checkLength, collect } from '../core/validate.js';
import type { Executor } from '../db/types.js';
import { isUniqueViolation } from '../db/types.js';
import { toPage, type Page, type PageRequest } from '../db/pagination.js';
import { canManageOwnedBy, canWrite } from './model.js';
import * as store from './teams-store.js';
import { findPersonById } from './store.js';
import { recordAudit, type RequestContext } from './audit.js';
import type { Team, TeamMember } from './teams-store.js';

export interface TeamsDeps {
  readonly db: Executor;
  readonly clock: Clock;
}

function normalizeTeam(input: { name?: string | undefined; description?: string | undefined }) {
  const name = input.name?.trim();
  const description = input.description?.trim();
  throwIfInvalid(collect(name === undefined ? undefined : checkLength('name', name, 1, 100), description === undefined ? undefined : checkLength('description', description, 0, 1000)));
  return { name, description };
}

/** Teams and their members. Admins manage every team; responders manage the teams they belong to. */
export function createTeamsService(deps: TeamsDeps) {
  const { db, clock } = deps;

  async function loadManaged(trx: Executor, ctx: RequestContext, id: string): Promise<Team> {
    const team = await store.findTeam(trx, id);
    if (!team) throw notFound('team');
    if (!canManageOwnedBy(ctx.actor, [id])) throw forbidden('only members of this team and administrators may change it');
    return team;
  }

  function translateUnique(error: unknown): never {
    if (isUniqueViolation(error)) throw conflict('name', 'a team with this name already exists');
    throw error;
  }

  return {
    async list(page: PageRequest, search?: string): Promise<Page<Team>> {
      return toPage(await store.listTeams(db, page, search), page, (t) => t.name, (t) => t);
    },

    async get(id: string): Promise<Team & { members: TeamMember[] }> {
      const team = await store.findTeam(db, id);
      if (!team) throw notFound('team');
      return { ...team, members: await store.listMembers(db, id) };
    },

    /** Any admin or responder may create a team; a responder becomes its first member. */
    async create(ctx: RequestContext, input: { name: string; description?: string | undefined; join?: boolean | undefined }): Promise<Team & { members: TeamMember[] }> {
      if (!canWrite(ctx.actor)) throw forbidden('viewers cannot create teams');
      const { name, description } = normalizeTeam(input);
      const now = clock.now();
      const id = newId(now);
      try {
        await db.transaction().execute(async (trx) => {
          await store.insertTeam(trx, { id, name: name ?? '', description: description ?? '', created_at: now, updated_at: now });
          // A responder must belong to the team to manage it; an admin joins when asked (the console asks by default).
          if (ctx.actor.person.role !== 'admin' || input.join === true) await store.addMember(trx, id, ctx.actor.person.id, now);
          await recordAudit(trx, ctx, now, { action: 'team.create', targetType: 'team', targetId: id, after: { name, description } });
        });
      } catch (error) {
        translateUnique(error);
      }
      return this.get(id);
    },

    async update(ctx: RequestContext, id: string, input: { name?: string | undefined; description?: string | undefined }): Promise<Team & { members: TeamMember[] }> {
      const { name, description } = normalizeTeam(input);
      const now = clock.now();
      try {
        await db.transaction().execute(async (trx) => {
          const before = await loadManaged(trx, ctx, id);
          await store.updateTeam(trx, id, { ...(name !== undefined && { name }), ...(description !== undefined && { description }), updated_at: now });
          await recordAudit(trx, ctx, now, {
            action: 'team.update',
            targetType: 'team',
            targetId: id,
            before: { name: before.name, description: before.description },
            after: { name: name ?? before.name, description: description ?? before.description },
          });
        });
      } catch (error) {
        translateUnique(error);
      }
      return this.get(id);
    },

    /** Refused while the team still owns channels, so nothing is left without an owner. */
    async remove(ctx: RequestContext, id: string): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const before = await loadManaged(trx, ctx, id);
        if (await store.teamOwnsChannels(trx, id)) throw conflict('id', 'this team still owns channels or schedules; give them to another team first');
        await store.deleteTeam(trx, id);
        await recordAudit(trx, ctx, now, { action: 'team.delete', targetType: 'team', targetId: id, before: { name: before.name } });
      });
    },

    async addMember(ctx: RequestContext, teamId: string, personId: string): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await loadManaged(trx, ctx, teamId);
        const person = await findPersonById(trx, personId);
        if (!person) throw notFound('person');
        if (!(await store.addMember(trx, teamId, personId, now))) throw conflict('person_id', 'is already a member of this team');
        await recordAudit(trx, ctx, now, { action: 'team.member_add', targetType: 'team', targetId: teamId, after: { person_id: personId, name: person.name } });
      });
    },

    async removeMember(ctx: RequestContext, teamId: string, personId: string): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await loadManaged(trx, ctx, teamId);
        if (!(await store.removeMember(trx, teamId, personId))) throw notFound('team member');
        await recordAudit(trx, ctx, now, { action: 'team.member_remove', targetType: 'team', targetId: teamId, before: { person_id: personId } });
      });
    },

    teamsOf(personId: string) {
      return store.teamsOf(db, personId);
    },
  };
}

export type TeamsService = ReturnType<typeof createTeamsService>;
