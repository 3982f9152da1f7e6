import type { FieldError } from '../core/errors.js';
import { checkLength, collect } from '../core/validate.js';
import { canManageOwnedBy, isAdmin, type Actor } from '../people/model.js';

/** A channel: the "war room" of one service or component. */
export interface Channel {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly managingTeamIds: readonly string[];
  readonly private: boolean;
  readonly disabled: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const CHANNEL_NAME_MAX = 59;
export const MAX_MANAGING_TEAMS = 3;

export interface ChannelInput {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly teamId?: string | undefined;
  readonly managingTeamIds?: readonly string[] | undefined;
  readonly private?: boolean | undefined;
  readonly disabled?: boolean | undefined;
}

/** Trims names, de-duplicates managing teams and returns every rule broken. */
export function normalizeChannelInput(input: ChannelInput, ownerTeamId: string | undefined): { value: ChannelInput; errors: FieldError[] } {
  const name = input.name?.trim();
  const description = input.description?.trim();
  const managing = input.managingTeamIds === undefined ? undefined : [...new Set(input.managingTeamIds)].filter((id) => id !== ownerTeamId);
  const errors = collect(
    name === undefined ? undefined : checkLength('name', name, 1, CHANNEL_NAME_MAX),
    description === undefined ? undefined : checkLength('description', description, 0, 1000),
    managing !== undefined && managing.length > MAX_MANAGING_TEAMS
      ? { field: 'managing_team_ids', message: `at most ${MAX_MANAGING_TEAMS} managing teams besides the owning team` }
      : undefined,
  );
  return { value: { ...input, name, description, managingTeamIds: managing }, errors };
}

/** Teams whose members may change the channel's configuration. */
export function managingTeams(channel: Pick<Channel, 'teamId' | 'managingTeamIds'>): string[] {
  return [channel.teamId, ...channel.managingTeamIds];
}

/** Public channels are visible to everyone signed in; private ones only to their teams and admins. */
export function canSeeChannel(actor: Actor, channel: Pick<Channel, 'private' | 'teamId' | 'managingTeamIds'>): boolean {
  if (!channel.private || isAdmin(actor)) return true;
  return managingTeams(channel).some((id) => actor.teamIds.has(id));
}

/** Configuration belongs to the owning and managing teams (and admins); viewers never change it. */
export function canManageChannel(actor: Actor, channel: Pick<Channel, 'teamId' | 'managingTeamIds'>): boolean {
  return canManageOwnedBy(actor, managingTeams(channel));
}
