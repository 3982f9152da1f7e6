import { describe, expect, it } from 'vitest';
import { describeEntry, type TimelineContext } from './timeline-text.js';

const T0 = Date.UTC(2030, 0, 1);
const ctx: TimelineContext = {
  names: new Map([
    ['p-alice', 'Alice'],
    ['p-bob', 'Bob'],
  ]),
  levels: [{ escalate_after_min: 30 }, { escalate_after_min: 120 }],
  mode: 'unacknowledged',
  manualEscalations: [],
};
const entry = (kind: string, data: Record<string, unknown>, actor: string | null = null, at = T0) => ({ kind, data, actor_id: actor, created_at: at });

describe('describeEntry', () => {
  it('says who was paged, how, through which provider, and the result', () => {
    expect(describeEntry(entry('notification_sent', { method: 'sms', to: 'Alice', provider: 'Twilio' }), ctx)).toBe('Paged Alice by SMS (Twilio) — delivered');
    expect(describeEntry(entry('notification_sent', { method: 'webhook', to: 'War room', provider: 'Hook' }), ctx)).toBe('Posted to War room by webhook (Hook) — delivered');
    expect(describeEntry(entry('notification_failed', { method: 'voice', to: 'Bob', error: 'no-answer', fallback: 'sms' }), ctx)).toBe('Could not reach Bob by voice call: no-answer; falling back to SMS');
    // App push goes to each device: the entry names it, and says when a gone device was removed.
    expect(describeEntry(entry('notification_sent', { method: 'push', to: 'Ada', device: 'Chrome on Android', provider: 'Web Push (built in)' }), ctx)).toBe('Paged Ada by app push on Chrome on Android (Web Push (built in)) — delivered');
    expect(describeEntry(entry('notification_failed', { method: 'push', to: 'Ada', device: 'Pixel 8', error: 'webpush subscription gone (HTTP 410)', fallback: null, device_removed: true }), ctx)).toBe(
      'Could not reach Ada by app push on Pixel 8: webpush subscription gone (HTTP 410); the device no longer accepts notifications and was removed from app push',
    );
    expect(describeEntry(entry('notified', { level: 1, recipients: [{ person: 'Ada', method: 'push', device: 'Pixel 8' }, { person: 'Ada', method: 'sms' }] }), ctx)).toBe('Notified level 1: Ada (app push on Pixel 8), Ada (SMS)');
  });

  it('explains a timed escalation by the previous level’s wait and the rule mode, and a loop back', () => {
    expect(describeEntry(entry('escalated', { level: 2, round: 0, repeat: 0, recipients: [{ person: 'Bob', method: 'sms' }] }), ctx)).toBe(
      'Escalated to level 2 (no acknowledgement within 30 min): notified Bob (SMS)',
    );
    expect(describeEntry(entry('escalated', { level: 2, round: 0, repeat: 0, recipients: [] }), { ...ctx, mode: 'unresolved' })).toBe('Escalated to level 2 (not resolved within 30 min): notified nobody');
    expect(describeEntry(entry('notified', { level: 1, round: 1, repeat: 0, recipients: [] }), ctx)).toBe('Looped back to level 1 (no acknowledgement within 2 h): notified nobody');
    expect(describeEntry(entry('notified', { level: 1, round: 0, repeat: 2, recipients: [] }), ctx)).toBe('Notified level 1 again (repeat 2): nobody');
  });

  it('credits a manual escalation to the person who asked for it', () => {
    const manual = { ...ctx, manualEscalations: [{ level: 2, at: T0, actorId: 'p-alice' }] };
    expect(describeEntry(entry('escalated', { level: 2, round: 0, repeat: 0, recipients: [{ person: 'Bob', method: 'email' }] }, null, T0 + 500), manual)).toBe(
      'Escalated to level 2 by Alice: notified Bob (email)',
    );
    // A timed escalation long after the manual one is not credited to it.
    expect(describeEntry(entry('escalated', { level: 2, round: 0, repeat: 0, recipients: [] }, null, T0 + 3_600_000), manual)).toContain('(no acknowledgement within 30 min)');
  });

  it('names the actor and the channel of acknowledgements and resolutions', () => {
    expect(describeEntry(entry('acknowledged', { via: 'sms' }, 'p-bob'), ctx)).toBe('Acknowledged by Bob via SMS reply');
    expect(describeEntry(entry('acknowledged', { via: 'integration' }), ctx)).toBe('Acknowledged automatically from the monitoring source');
    expect(describeEntry(entry('acknowledged', { via: 'api' }, 'p-alice'), ctx)).toBe('Acknowledged by Alice through the API');
    expect(describeEntry(entry('resolved', { reason: 'resolved via console' }, 'p-alice'), ctx)).toBe('Resolved by Alice in the console');
    expect(describeEntry(entry('resolved', { reason: 'all alerts recovered' }), ctx)).toBe('Closed: all alerts recovered');
  });

  it('describes merges, field changes and unknown kinds', () => {
    expect(describeEntry(entry('merged', { source_number: 41, alert_count: 3 }, 'p-alice'), ctx)).toBe('Merged #41 into this incident (3 alert(s)) by Alice');
    expect(describeEntry(entry('field_changed', { field: 'severity', label: 'severity', from: 'Warning', to: 'Critical' }, 'p-bob'), ctx)).toBe('Bob changed severity: “Warning” → “Critical”');
    expect(describeEntry(entry('field_changed', { field: 'custom_fields.region', label: 'Region', from: [], to: ['eu', 'us'] }, 'p-bob'), ctx)).toBe('Bob changed Region: (empty) → eu, us');
    expect(describeEntry(entry('something_new', {}), ctx)).toBe('something new');
  });
});
