import { describe, expect, it } from 'vitest';
import { methodAvailability } from './preferences.js';
import type { NotificationMethod } from './provider.js';

const person = { emailVerified: true, phone: '+14155550100', phoneVerified: true, pushDevices: 0 };

describe('methodAvailability', () => {
  it('offers a method only when an enabled provider serves it, saying who can fix the rest', () => {
    const result = methodAvailability({ ...person, deliverable: new Set<NotificationMethod>(['sms', 'email']) });
    expect(result.filter((m) => m.available).map((m) => m.method)).toEqual(['sms', 'email']);
    expect(result.find((m) => m.method === 'voice')?.reason).toBe('No Voice call provider is set up yet: an administrator adds one under Settings → Notification providers.');
  });

  it('explains missing or unverified addresses and unregistered devices', () => {
    const all = new Set<NotificationMethod>(['voice', 'sms', 'email', 'push', 'im']);
    const reasons = Object.fromEntries(
      methodAvailability({ deliverable: all, emailVerified: false, phone: '+14155550100', phoneVerified: false, pushDevices: 0 }).map((m) => [m.method, m.reason ?? 'available']),
    );
    expect(reasons).toEqual({
      voice: 'Verify your phone number.',
      sms: 'Verify your phone number.',
      email: 'Verify your email address.',
      push: 'No device is registered for app push yet.',
      im: 'Verify your email address: IM accounts are matched by it.',
    });
    expect(methodAvailability({ ...person, phone: null, deliverable: all }).find((m) => m.method === 'sms')?.reason).toBe('Add your phone number and verify it.');
    expect(methodAvailability({ ...person, pushDevices: 1, deliverable: all }).every((m) => m.available)).toBe(true);
  });
});
