import { describe, expect, it } from 'vitest';
import { redactUrl } from './request-log.js';

describe('redactUrl', () => {
  it('masks integration keys and other secret query values, keeping the rest', () => {
    expect(redactUrl('/event/push/alert/standard?integration_key=0123456789abcdef0123456789abcdef&severity=Critical')).toBe(
      '/event/push/alert/standard?integration_key=***&severity=Critical',
    );
    expect(redactUrl('/x?access_token=abc&Signature=zz&a=1')).toBe('/x?access_token=***&Signature=***&a=1');
  });

  it('masks the token of action links and iCalendar feeds', () => {
    expect(redactUrl('/a/AbCdEfGhIjKlMnOpQrStUvWx')).toBe('/a/***');
    expect(redactUrl('/ical/schedules/AbCdEf_123.ics')).toBe('/ical/schedules/***.ics');
    expect(redactUrl('/ical/people/AbCdEf_123.ics?x=1')).toBe('/ical/people/***.ics?x=1');
  });

  it('leaves ordinary URLs alone', () => {
    expect(redactUrl('/api/v1/incidents?status=triggered&limit=10')).toBe('/api/v1/incidents?status=triggered&limit=10');
    expect(redactUrl('/api/v1/channels/abc')).toBe('/api/v1/channels/abc');
  });
});
