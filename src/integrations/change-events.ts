import type { Clock } from '../core/clock.js';
import { newId } from '../core/ids.js';
import type { Executor } from '../db/types.js';
import * as actionsStore from '../incidents/actions-store.js';
import { insertTimeline } from '../incidents/store.js';
import { eventSubject } from './enrichment.js';
import type { Integration } from './integration-model.js';
import type { NormalizedEvent } from './model.js';
import { compileRouting, route } from './routing.js';

/** A change event is noted on at most this many open incidents of a channel (the newest). */
export const CHANGE_INCIDENTS_MAX = 50;

/**
 * Change events (PagerDuty `/v2/change/enqueue`: deploys, config changes) are kept per channel —
 * the integration's own channel, or the channels its routing picks — and noted on the timeline of
 * each open incident there, so responders see "what changed" next to "what broke". They never notify.
 */
export function createChangeEvents(deps: { db: Executor; clock: Clock }) {
  return {
    async record(integration: Integration, events: readonly NormalizedEvent[]): Promise<void> {
      const changes = events.filter((e) => e.change);
      if (changes.length === 0) return;
      const now = deps.clock.now();
      const routing = integration.channelId ? undefined : compileRouting(integration.settings.routing);
      await deps.db.transaction().execute(async (trx) => {
        for (const event of changes) {
          const channelIds = integration.channelId ? [integration.channelId] : routing?.ok ? [...route(routing.value, eventSubject(event, integration.id)).channelIds] : [];
          for (const channelId of new Set(channelIds)) {
            const id = newId(now);
            const links = event.links ?? [];
            await actionsStore.insertChangeEvent(trx, {
              id,
              channel_id: channelId,
              integration_id: integration.id,
              title: event.title.slice(0, 1024),
              labels_json: JSON.stringify(event.labels),
              links_json: JSON.stringify(links),
              event_time: event.eventTime ?? now,
              received_at: now,
            });
            for (const incidentId of await actionsStore.openIncidentIds(trx, channelId, CHANGE_INCIDENTS_MAX)) {
              await insertTimeline(trx, incidentId, now, 'change', { change_id: id, title: event.title.slice(0, 1024), integration_name: integration.name, event_time: event.eventTime ?? now, links });
            }
          }
        }
      });
    },
  };
}

export type ChangeEvents = ReturnType<typeof createChangeEvents>;
