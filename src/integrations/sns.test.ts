import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { createSnsGate } from './sns.js';

const text = (name: string): string => readFileSync(new URL(`./sources/fixtures/${name}`, import.meta.url), 'utf8');
const alarm = text('sns-alarm.json');
const certificate = text('sns-test-cert.pem');
const SENT = Date.parse('2025-01-15T11:58:04.574Z');
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function gate(now: number) {
  const fetched: string[] = [];
  const sns = createSnsGate({
    get: (url) => {
      fetched.push(url);
      return Promise.resolve(certificate);
    },
    log: quiet,
    now: () => now,
  });
  return { sns, fetched };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('SNS gate (issue 10 item 18)', () => {
  it('admits a signed, fresh notification', async () => {
    await expect(gate(SENT + 10 * 60_000).sns.admit(alarm)).resolves.toBe(true);
  });

  it('refuses a replay more than an hour old, and a message from the future, before fetching any certificate', async () => {
    const old = gate(SENT + 61 * 60_000);
    expect(await refusal(old.sns.admit(alarm))).toMatchObject({ code: 'InvalidParameter', field: 'Timestamp' });
    expect(old.fetched).toEqual([]);
    const early = gate(SENT - 10 * 60_000);
    expect(await refusal(early.sns.admit(alarm))).toMatchObject({ code: 'InvalidParameter', field: 'Timestamp', message: 'Timestamp: is in the future' });
  });

  it('refuses another topic when the integration pins one', async () => {
    const { sns, fetched } = gate(SENT);
    expect(await refusal(sns.admit(alarm, { topicArn: 'arn:aws:sns:eu-west-1:123456789012:other' }))).toMatchObject({ code: 'AccessDenied', field: 'TopicArn' });
    expect(fetched).toEqual([]);
    await expect(sns.admit(alarm, { topicArn: 'arn:aws:sns:eu-west-1:123456789012:tocsin-alarms' })).resolves.toBe(true);
  });
});
