import { describe, expect, it } from 'vitest';
import { SourceError, type NormalizedEvent, type SourceInput, type SourceMapper } from '../model.js';
import { opsgenieAcknowledgeMapper, opsgenieCloseMapper, opsgenieCreateMapper } from './opsgenie.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

function run(mapper: SourceMapper, body: unknown, extra: Partial<SourceInput> = {}): NormalizedEvent[] {
  return mapper({ body, rawBody: body === undefined ? '' : JSON.stringify(body), query: {}, headers: { authorization: 'GenieKey KEY' }, now: NOW, ...extra });
}

function errorOf(mapper: SourceMapper, body: unknown, extra: Partial<SourceInput> = {}): string {
  try {
    run(mapper, body, extra);
  } catch (error) {
    if (error instanceof SourceError) return error.message;
    throw error;
  }
  throw new Error('expected a SourceError');
}

/** The create-alert example of the Opsgenie Alert API documentation. */
const create = {
  message: 'An example alert message',
  alias: 'Life is too short for no alias',
  description: 'Every alert needs a description',
  responders: [{ id: '4513b7ea-3b91-438f-b7e4-e3e54af9147c', type: 'team' }],
  visibleTo: [{ name: 'rocket_team', type: 'team' }],
  actions: ['Restart', 'AnExampleAction'],
  tags: ['OverwriteQuietHours', 'Critical'],
  details: { key1: 'value1', key2: 'value2' },
  entity: 'An example entity',
  priority: 'P1',
  source: 'monitoring-01',
  user: 'ada@example.com',
  note: 'created by the nightly check',
};

describe('opsgenieCreateMapper', () => {
  it('maps a create request', () => {
    expect(run(opsgenieCreateMapper, create)).toEqual([
      {
        title: 'An example alert message',
        status: 'Critical',
        action: 'trigger',
        alertKey: 'Life is too short for no alias',
        description: 'Every alert needs a description',
        labels: {
          tag_OverwriteQuietHours: 'true',
          tag_Critical: 'true',
          key1: 'value1',
          key2: 'value2',
          priority: 'P1',
          entity: 'An example entity',
          source: 'monitoring-01',
          user: 'ada@example.com',
          note: 'created by the nightly check',
        },
        eventTime: NOW,
      },
    ]);
  });

  it('defaults to P3 and leaves the key to the pipeline without alias', () => {
    expect(run(opsgenieCreateMapper, { message: 'Backup failed' })).toEqual([
      { title: 'Backup failed', status: 'Warning', action: 'trigger', alertKey: undefined, description: '', labels: { priority: 'P3' }, eventTime: NOW },
    ]);
  });

  it.each([
    ['P1', 'Critical'],
    ['P2', 'Critical'],
    ['P3', 'Warning'],
    ['P4', 'Info'],
    ['P5', 'Info'],
  ])('priority %s is %s', (priority, expected) => {
    expect(run(opsgenieCreateMapper, { message: 'm', priority })[0]?.status).toBe(expected);
  });

  it('cuts the message at 130 and the description at 2048 characters; ?severity= overrides', () => {
    const [event] = run(opsgenieCreateMapper, { message: 'm'.repeat(200), description: 'd'.repeat(15000) }, { query: { severity: 'Info' } });
    expect(event?.title).toBe('m'.repeat(130));
    expect(event?.description).toBe('d'.repeat(2048));
    expect(event?.status).toBe('Info');
  });

  it.each([
    ['a missing message', { alias: 'a' }, 'message: is required'],
    ['a blank message', { message: ' ' }, 'message: is required'],
    ['a long alias', { message: 'm', alias: 'a'.repeat(513) }, 'alias: must be at most 512 characters'],
    ['a long description', { message: 'm', description: 'd'.repeat(15001) }, 'description: must be at most 15000 characters'],
    ['a bad priority', { message: 'm', priority: 'high' }, 'priority: must be one of P1, P2, P3, P4, P5'],
    ['tags not an array', { message: 'm', tags: 'a,b' }, 'tags: must be an array of strings'],
    ['a non-string tag', { message: 'm', tags: ['a', 1] }, 'tags[1]: must be a string'],
    ['details not an object', { message: 'm', details: 'x' }, 'details: must be an object'],
    ['a non-string entity', { message: 'm', entity: 5 }, 'entity: must be a string'],
  ])('rejects %s', (_name, body, message) => {
    expect(errorOf(opsgenieCreateMapper, body)).toBe(message);
  });
});

describe('opsgenieCloseMapper and opsgenieAcknowledgeMapper', () => {
  const params = { identifier: 'Life is too short for no alias' };

  it('closes by alias with a body', () => {
    expect(
      run(
        opsgenieCloseMapper,
        { user: 'Monitoring Script', source: 'AWS Lambda', note: 'Action executed via Alert API' },
        { params, query: { identifierType: 'alias' } },
      ),
    ).toEqual([
      {
        title: 'Life is too short for no alias',
        status: 'Ok',
        action: 'resolve',
        alertKey: 'Life is too short for no alias',
        description: 'Action executed via Alert API',
        labels: { user: 'Monitoring Script', source: 'AWS Lambda' },
        eventTime: NOW,
      },
    ]);
  });

  it('acknowledges by alias without a body or identifierType', () => {
    expect(run(opsgenieAcknowledgeMapper, undefined, { params: { alias: 'db-1' } })).toEqual([
      { title: 'db-1', status: 'Info', action: 'acknowledge', alertKey: 'db-1', description: '', labels: {}, eventTime: NOW },
    ]);
    expect(run(opsgenieAcknowledgeMapper, '', { params })[0]?.action).toBe('acknowledge');
  });

  it.each([
    ['an id identifier', { params, query: { identifierType: 'id' } }, 'identifierType: must be alias: Tocsin addresses Opsgenie alerts by alias only'],
    ['a tiny identifier', { params, query: { identifierType: 'tiny' } }, 'identifierType: must be alias: Tocsin addresses Opsgenie alerts by alias only'],
    ['an unknown identifierType', { params, query: { identifierType: 'name' } }, 'identifierType: must be alias'],
    ['no identifier', { params: {} }, 'identifier: is required'],
    ['a long identifier', { params: { identifier: 'a'.repeat(513) } }, 'identifier: must be at most 512 characters'],
  ])('refuses %s', (_name, extra, message) => {
    expect(errorOf(opsgenieCloseMapper, {}, extra)).toBe(message);
  });

  it('refuses a malformed body', () => {
    expect(errorOf(opsgenieCloseMapper, [1], { params })).toBe('body: must be a JSON object');
    expect(errorOf(opsgenieAcknowledgeMapper, { note: 1 }, { params })).toBe('note: must be a string');
  });
});
