import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { queryKeys } from './queryKeys';
import type { Incident } from './types';

const INCIDENT_EVENTS = ['incident.created', 'incident.updated', 'incident.timeline'] as const;
const ALERT_EVENTS = ['alert.created', 'alert.updated'] as const;
/** Several changes in one burst refetch the lists once. */
const COALESCE_MS = 150;

/**
 * Keeps incident and alert queries fresh from the server's event stream (GET /api/v1/stream):
 * an updated incident is written into its query at once, lists and timelines refetch. The browser's
 * EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed across a blip.
 */
export function useLiveUpdates(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return undefined;
    const source = new EventSource('/api/v1/stream');
    const pending = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const roots = [...pending];
      pending.clear();
      for (const root of roots) void queryClient.invalidateQueries({ queryKey: [root] });
    };
    const schedule = (root: string) => {
      pending.add(root);
      timer ??= setTimeout(flush, COALESCE_MS);
    };
    const onIncident = (event: MessageEvent<string>) => {
      if (event.type === 'incident.updated' || event.type === 'incident.created') {
        const incident = JSON.parse(event.data) as Incident;
        queryClient.setQueryData(queryKeys.incident(incident.id), incident);
      }
      schedule(queryKeys.incidents[0]);
    };
    const onAlert = () => schedule(queryKeys.alerts[0]);
    const onReset = () => {
      schedule(queryKeys.incidents[0]);
      schedule(queryKeys.alerts[0]);
    };
    for (const name of INCIDENT_EVENTS) source.addEventListener(name, onIncident);
    for (const name of ALERT_EVENTS) source.addEventListener(name, onAlert);
    source.addEventListener('reset', onReset);
    return () => {
      if (timer) clearTimeout(timer);
      source.close();
    };
  }, [queryClient]);
}
