import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backoffMs, incidentEventOf, isRetryable, normalizeWebhookInput, signature, wants, type Webhook } from './model.js';

const hook: Webhook = { id: 'w', name: 'w', url: 'https://x.example/h', events: ['incident.acknowledged'], channelIds: ['c1'], enabled: true, createdAt: 0 };

describe('webhook model', () => {
  it('signs the raw body with HMAC-SHA256', () => {
    expect(signature('k', '{"a":1}')).toBe(`sha256=${createHmac('sha256', 'k').update('{"a":1}').digest('hex')}`);
  });

  it('backs off exponentially from 30 s with ±20 % jitter, capped at an hour', () => {
    expect(backoffMs(1, 0.5)).toBe(30_000);
    expect(backoffMs(2, 0.5)).toBe(60_000);
    expect(backoffMs(1, 0)).toBe(24_000);
    expect(backoffMs(1, 0.999_999)).toBeLessThanOrEqual(36_000);
    expect(backoffMs(20, 0.5)).toBe(3_600_000);
  });

  it('retries network errors, 5xx, 408 and 429 only', () => {
    expect([undefined, 500, 503, 408, 429].every(isRetryable)).toBe(true);
    expect([200, 400, 401, 404, 410].some(isRetryable)).toBe(false);
  });

  it('maps timeline kinds to SPEC §7 event names', () => {
    expect(incidentEventOf('acknowledged')).toBe('incident.acknowledged');
    expect(incidentEventOf('severity_changed')).toBe('incident.updated');
    expect(incidentEventOf('notification_sent')).toBeUndefined();
    expect(incidentEventOf('updated')).toBeUndefined();
  });

  it('matches by event name and channel, never when disabled', () => {
    expect(wants(hook, 'incident.acknowledged', 'c1')).toBe(true);
    expect(wants(hook, 'incident.acknowledged', 'c2')).toBe(false);
    expect(wants(hook, 'incident.resolved', 'c1')).toBe(false);
    expect(wants({ ...hook, events: ['*'], channelIds: undefined }, 'alert.created', 'c9')).toBe(true);
    expect(wants({ ...hook, enabled: false }, 'incident.acknowledged', 'c1')).toBe(false);
  });

  it('reports every broken field at once', () => {
    const fields = normalizeWebhookInput({ url: 'ftp://x', events: ['nope'], secret: 'short' }, true).map((e) => e.field);
    expect(fields).toEqual(['url', 'events', 'secret']);
    expect(normalizeWebhookInput({ enabled: false }, false)).toEqual([]);
  });
});
