import { createSign, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceError, type NormalizedEvent } from '../model.js';
import {
  classifySnsMessage,
  cloudwatchMapper,
  createCloudWatchMapper,
  isTrustedSnsCertUrl,
  isTrustedSnsSubscribeUrl,
  snsSigningString,
  verifySnsSignature,
  type SnsMessage,
} from './cloudwatch.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const text = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const alarmText = text('sns-alarm.json');
const okText = text('sns-alarm-ok.json');
const subscriptionText = text('sns-subscription.json');
/** A self-signed certificate; the fixtures were signed with its (discarded) private key. */
const certificate = text('sns-test-cert.pem');

function run(body: unknown, query: Record<string, string> = {}): NormalizedEvent[] {
  return cloudwatchMapper({ body, rawBody: typeof body === 'string' ? body : JSON.stringify(body), query, headers: {}, now: NOW });
}

function errorOf(body: unknown): string {
  try {
    run(body);
  } catch (error) {
    if (error instanceof SourceError) return error.message;
    throw error;
  }
  throw new Error('expected a SourceError');
}

function snsWith(message: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: 'm-1',
    TopicArn: 'arn:aws:sns:us-east-1:111122223333:alarms',
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: '2025-01-15T11:00:00.000Z',
    ...extra,
  });
}

const expectedLabels = {
  LoadBalancer: 'app/prod-api/50dc6c495c0c9188',
  TargetGroup: 'targetgroup/prod-api/73e2d6bc24d8a067',
  alarm_name: 'prod-api-5xx-rate',
  aws_account_id: '123456789012',
  region: 'EU (Ireland)',
  namespace: 'AWS/ApplicationELB',
  metric_name: 'HTTPCode_Target_5XX_Count',
  statistic: 'SUM',
  comparison_operator: 'GreaterThanThreshold',
  threshold: '5',
  topic_arn: 'arn:aws:sns:eu-west-1:123456789012:tocsin-alarms',
};

describe('cloudwatchMapper', () => {
  it('maps an ALARM notification sent as text/plain', () => {
    expect(run(alarmText)).toEqual([
      {
        title: 'prod-api-5xx-rate',
        status: 'Warning',
        action: 'trigger',
        alertKey: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:prod-api-5xx-rate',
        description:
          'API 5xx rate above 5% for 3 minutes\nThreshold Crossed: 3 out of the last 3 datapoints [7.2 (15/01/25 11:57:00), 6.8 (15/01/25 11:56:00), 5.9 (15/01/25 11:55:00)] were greater than the threshold (5.0) (minimum 3 datapoints for OK -> ALARM transition).',
        labels: { ...expectedLabels, old_state: 'OK', new_state: 'ALARM' },
        eventTime: Date.parse('2025-01-15T11:58:04.512Z'),
      },
    ]);
  });

  it('maps an OK notification to a recovery of the same alarm', () => {
    expect(run(JSON.parse(okText))).toEqual([
      {
        title: 'prod-api-5xx-rate',
        status: 'Ok',
        action: 'resolve',
        alertKey: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:prod-api-5xx-rate',
        description: 'API 5xx rate above 5% for 3 minutes\nThreshold Crossed: 1 datapoint [1.0 (15/01/25 12:08:00)] was not greater than the threshold (5.0).',
        labels: { ...expectedLabels, old_state: 'ALARM', new_state: 'OK' },
        eventTime: Date.parse('2025-01-15T12:09:04.301Z'),
      },
    ]);
  });

  it('maps INSUFFICIENT_DATA to Info, and the severities are configurable', () => {
    const alarm = { AlarmName: 'a', NewStateValue: 'INSUFFICIENT_DATA', AWSAccountId: '1', Region: 'US East (N. Virginia)' };
    expect(run(snsWith(alarm))).toEqual([
      {
        title: 'a',
        status: 'Info',
        action: 'trigger',
        alertKey: '1:US East (N. Virginia):a',
        description: '',
        labels: {
          alarm_name: 'a',
          aws_account_id: '1',
          region: 'US East (N. Virginia)',
          new_state: 'INSUFFICIENT_DATA',
          topic_arn: 'arn:aws:sns:us-east-1:111122223333:alarms',
        },
        eventTime: Date.parse('2025-01-15T11:00:00.000Z'),
      },
    ]);
    const mapper = createCloudWatchMapper({ alarmSeverity: 'Critical', insufficientDataSeverity: 'Warning' });
    const input = (body: string) => ({ body, rawBody: body, query: {}, headers: {}, now: NOW });
    expect(mapper(input(alarmText))[0]?.status).toBe('Critical');
    expect(mapper(input(snsWith(alarm)))[0]?.status).toBe('Warning');
    expect(mapper(input(okText))[0]?.status).toBe('Ok');
  });

  it('maps a notification that is not an alarm to a plain Warning event', () => {
    expect(run(snsWith('Backup job 42 failed\nsee logs', { Subject: 'Backup failed' }))).toEqual([
      {
        title: 'Backup failed',
        status: 'Warning',
        action: 'trigger',
        alertKey: undefined,
        description: 'Backup job 42 failed\nsee logs',
        labels: { topic_arn: 'arn:aws:sns:us-east-1:111122223333:alarms' },
        eventTime: Date.parse('2025-01-15T11:00:00.000Z'),
      },
    ]);
  });

  it('gives no event for confirmations and honours ?severity=', () => {
    expect(run(subscriptionText)).toEqual([]);
    expect(run(alarmText, { severity: 'Critical' })[0]?.status).toBe('Critical');
  });

  it.each([
    ['text that is not JSON', 'not json', 'body: must be a JSON object'],
    ['a missing Type', JSON.stringify({ MessageId: 'x' }), 'Type: is required'],
    ['an unknown Type', snsWith({}, { Type: 'Other' }), 'Type: must be Notification, SubscriptionConfirmation or UnsubscribeConfirmation'],
    ['a missing Message', JSON.stringify({ Type: 'Notification', MessageId: 'x', TopicArn: 't', Timestamp: 't' }), 'Message: is required'],
    ['an alarm without a name', snsWith({ NewStateValue: 'ALARM' }), 'Message.AlarmName: is required'],
    ['an unknown state', snsWith({ AlarmName: 'a', NewStateValue: 'BROKEN' }), 'Message.NewStateValue: must be ALARM, OK or INSUFFICIENT_DATA'],
    ['a bad StateChangeTime', snsWith({ AlarmName: 'a', NewStateValue: 'OK', StateChangeTime: 'noon' }), 'Message.StateChangeTime: must be an ISO 8601 time'],
    ['a bad Trigger', snsWith({ AlarmName: 'a', NewStateValue: 'OK', Trigger: 'x' }), 'Message.Trigger: must be an object'],
    ['a subscription without SubscribeURL', snsWith('hi', { Type: 'SubscriptionConfirmation' }), 'SubscribeURL: is required'],
  ])('rejects %s', (_name, body, message) => {
    expect(errorOf(body)).toBe(message);
  });
});

describe('classifySnsMessage', () => {
  it('classifies subscription, unsubscribe and notification messages', () => {
    const subscription = classifySnsMessage(subscriptionText);
    expect(subscription).toMatchObject({
      kind: 'subscription',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:tocsin-alarms',
      subscribeUrl: expect.stringMatching(/^https:\/\/sns\.eu-west-1\.amazonaws\.com\/\?Action=ConfirmSubscription&/) as unknown,
    });
    expect(classifySnsMessage(snsWith('bye', { Type: 'UnsubscribeConfirmation' }))).toMatchObject({
      kind: 'unsubscribe',
      topicArn: 'arn:aws:sns:us-east-1:111122223333:alarms',
    });
    expect(classifySnsMessage(JSON.parse(alarmText))).toMatchObject({ kind: 'notification', topicArn: 'arn:aws:sns:eu-west-1:123456789012:tocsin-alarms' });
  });
});

describe('SNS signatures', () => {
  const message = (raw: string): SnsMessage => classifySnsMessage(raw).message;

  it('builds the documented signing strings', () => {
    const m = { Type: 'Notification', MessageId: 'id', TopicArn: 'arn', Message: 'hello\nworld', Timestamp: 'ts' };
    expect(snsSigningString(m)).toBe('Message\nhello\nworld\nMessageId\nid\nTimestamp\nts\nTopicArn\narn\nType\nNotification\n');
    expect(snsSigningString({ ...m, Subject: 'subj' })).toBe(
      'Message\nhello\nworld\nMessageId\nid\nSubject\nsubj\nTimestamp\nts\nTopicArn\narn\nType\nNotification\n',
    );
    expect(snsSigningString({ ...m, Type: 'SubscriptionConfirmation', SubscribeURL: 'https://s', Token: 'tok', Subject: 'ignored' })).toBe(
      'Message\nhello\nworld\nMessageId\nid\nSubscribeURL\nhttps://s\nTimestamp\nts\nToken\ntok\nTopicArn\narn\nType\nSubscriptionConfirmation\n',
    );
  });

  it('verifies version 2 (SHA256) and version 1 (SHA1) signatures with an X.509 certificate', () => {
    expect(verifySnsSignature(message(alarmText), certificate)).toBe(true);
    expect(verifySnsSignature(message(okText), certificate)).toBe(true);
    expect(verifySnsSignature(message(subscriptionText), certificate)).toBe(true);
  });

  it('refuses tampered messages, swapped versions and unknown versions', () => {
    const original = message(alarmText);
    expect(verifySnsSignature({ ...original, Message: original.Message.replace('ALARM', 'OK') }, certificate)).toBe(false);
    expect(verifySnsSignature({ ...original, Subject: undefined }, certificate)).toBe(false);
    expect(verifySnsSignature({ ...original, SignatureVersion: '1' }, certificate)).toBe(false);
    expect(verifySnsSignature({ ...original, SignatureVersion: '3' }, certificate)).toBe(false);
    expect(verifySnsSignature({ ...original, Signature: undefined }, certificate)).toBe(false);
    expect(verifySnsSignature(original, 'not a pem')).toBe(false);
  });

  it('verifies with a freshly generated key pair given as a PEM public key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const unsigned = message(snsWith({ AlarmName: 'a', NewStateValue: 'OK' }, { Subject: 'OK: a' }));
    const signature = createSign('RSA-SHA1').update(snsSigningString(unsigned)).sign(privateKey, 'base64');
    const signed = { ...unsigned, SignatureVersion: '1', Signature: signature };
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(verifySnsSignature(signed, pem)).toBe(true);
    expect(verifySnsSignature(signed, other.export({ type: 'spki', format: 'pem' }).toString())).toBe(false);
  });

  it.each([
    ['https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem', true],
    ['https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem', true],
    ['http://sns.eu-west-1.amazonaws.com/cert.pem', false],
    ['https://sns.eu-west-1.amazonaws.com/cert.txt', false],
    ['https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem', false],
    ['https://evil.example/sns.eu-west-1.amazonaws.com/cert.pem', false],
    ['https://sns.eu-west-1.amazonaws.com:8443/cert.pem', false],
    ['https://user@sns.eu-west-1.amazonaws.com/cert.pem', false],
    ['https://s3.amazonaws.com/cert.pem', false],
    ['not a url', false],
  ])('trusts the certificate URL %s: %s', (url, trusted) => {
    expect(isTrustedSnsCertUrl(url)).toBe(trusted);
  });

  it('accepts an overriding host pattern, and checks SubscribeURLs', () => {
    expect(isTrustedSnsCertUrl('https://127.0.0.1/cert.pem', /^127\.0\.0\.1$/)).toBe(true);
    expect(isTrustedSnsSubscribeUrl(classifySnsMessage(subscriptionText).message.SubscribeURL ?? '')).toBe(true);
    expect(isTrustedSnsSubscribeUrl('https://attacker.example/?Action=ConfirmSubscription')).toBe(false);
  });
});
