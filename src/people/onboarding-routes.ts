import { Type } from 'typebox';
import { type Api, errorResponses } from '../core/api.js';
import type { Executor } from '../db/types.js';
import { onboardingState } from './onboarding-store.js';
import { contextOf } from './request-context.js';

const Nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()]);

/** `GET /api/v1/me/onboarding`: which first steps are done, so the console's checklist ticks itself. */
export function registerOnboardingRoutes(app: Api, deps: { db: Executor }): void {
  app.get(
    '/api/v1/me/onboarding',
    {
      schema: {
        tags: ['people'],
        summary: 'Getting started: which of the first steps (team, channel, integration, test alert, escalation rule, verified contact, app push on a device) are done',
        response: {
          200: Type.Object({
            in_team: Type.Boolean(),
            channel_id: Nullable(Type.String()),
            integration_id: Nullable(Type.String()),
            has_alert: Type.Boolean(),
            has_rule: Type.Boolean(),
            verified_contact: Type.Boolean(),
            push_device: Type.Boolean({ description: 'I enabled app push on at least one device' }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const context = contextOf(request);
      const state = await onboardingState(deps.db, context.actor.person.id);
      return {
        in_team: state.inTeam,
        channel_id: state.channelId,
        integration_id: state.integrationId,
        has_alert: state.hasAlert,
        has_rule: state.hasRule,
        verified_contact: state.verifiedContact,
        push_device: state.pushDevice,
      };
    },
  );
}
