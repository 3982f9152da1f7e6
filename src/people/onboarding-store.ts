import type { Executor } from '../db/types.js';

/** Where a new organisation stands on the way to its first page (the console's getting-started checklist). */
export interface OnboardingState {
  readonly inTeam: boolean;
  readonly channelId: string | null;
  readonly integrationId: string | null;
  readonly hasAlert: boolean;
  readonly hasRule: boolean;
  readonly verifiedContact: boolean;
  /** The person registered at least one browser for app push. */
  readonly pushDevice: boolean;
}

async function exists(query: Promise<unknown>): Promise<boolean> {
  return (await query) !== undefined;
}

/** A handful of indexed existence checks; each stops at the first row. */
export async function onboardingState(db: Executor, personId: string): Promise<OnboardingState> {
  const [inTeam, channel, integration, hasAlert, hasRule, person, pushDevice] = await Promise.all([
    exists(db.selectFrom('team_members').select('team_id').where('person_id', '=', personId).limit(1).executeTakeFirst()),
    db.selectFrom('channels').select('id').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst(),
    db.selectFrom('integrations').select('id').where('channel_id', 'is not', null).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst(),
    exists(db.selectFrom('alerts').select('id').limit(1).executeTakeFirst()),
    exists(db.selectFrom('escalation_rules').select('id').limit(1).executeTakeFirst()),
    db.selectFrom('persons').select(['email_verified_at', 'phone_verified_at']).where('id', '=', personId).executeTakeFirst(),
    exists(db.selectFrom('push_subscriptions').select('id').where('person_id', '=', personId).limit(1).executeTakeFirst()),
  ]);
  return {
    inTeam,
    channelId: channel?.id ?? null,
    integrationId: integration?.id ?? null,
    hasAlert,
    hasRule,
    verifiedContact: person !== undefined && (person.email_verified_at !== null || person.phone_verified_at !== null),
    pushDevice,
  };
}
