import { describe, expect, it } from 'vitest';
import type { FilterSubject } from '../core/filter.js';
import { compileRouting, route, routedChannelIds, type RoutingSpec } from './routing.js';

const subject = (labels: Record<string, string>, severity = 'Critical'): FilterSubject => ({ severity, title: 't', description: '', integration: 'i', labels });

function compiled(spec: unknown) {
  const result = compileRouting(spec);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

describe('shared integration routing', () => {
  const spec = {
    cases: [
      { if: [[{ key: 'labels.team', op: 'in', values: ['db'] }]], channels: ['mysql'], continue: true },
      { if: [[{ key: 'severity', op: 'in', values: ['Critical'] }]], channels: ['noc', 'mysql'] },
      { if: [[{ key: 'labels.team', op: 'in', values: ['web'] }]], channels: ['frontend'] },
    ],
    default: ['catch-all'],
  };

  it('stops at the first match unless the case says continue', () => {
    expect(route(compiled(spec), subject({ team: 'db' }))).toEqual({ channelIds: ['mysql', 'noc'], channelNames: [], via: 0 });
    expect(route(compiled(spec), subject({ team: 'web' }))).toEqual({ channelIds: ['noc', 'mysql'], channelNames: [], via: 1 });
    expect(route(compiled(spec), subject({ team: 'web' }, 'Warning'))).toEqual({ channelIds: ['frontend'], channelNames: [], via: 2 });
  });

  it('uses the default only when no case matched, and nothing when there is no default', () => {
    expect(route(compiled(spec), subject({ team: 'ops' }, 'Info'))).toEqual({ channelIds: ['catch-all'], channelNames: [], via: 'default' });
    expect(route(compiled({ ...spec, default: [] }), subject({ team: 'ops' }, 'Info')).channelIds).toEqual([]);
  });

  it('maps a label value to a channel name in name-mapping mode, falling back to cases', () => {
    const byName = compiled({ ...spec, name_mapping: { label: 'channel' } });
    expect(route(byName, subject({ channel: 'Payments' }))).toEqual({ channelIds: [], channelNames: ['Payments'], via: 'name' });
    expect(route(byName, subject({ team: 'web' }, 'Info')).channelIds).toEqual(['frontend']);
  });

  it('reports every malformed part with its field', () => {
    const result = compileRouting({ cases: [{ if: [[{ key: 'bogus', op: 'in', values: ['x'] }]], channels: [] }], default: 'x', name_mapping: { label: '' } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.field)).toEqual(
        expect.arrayContaining(['settings.routing.cases[0].channels', 'settings.routing.default', 'settings.routing.name_mapping.label']),
      );
      expect(result.errors.some((e) => e.field.startsWith('settings.routing.cases[0].if'))).toBe(true);
    }
  });

  it('lists every channel a spec names', () => {
    expect(routedChannelIds(spec as RoutingSpec).sort()).toEqual(['catch-all', 'frontend', 'mysql', 'noc']);
  });
});
