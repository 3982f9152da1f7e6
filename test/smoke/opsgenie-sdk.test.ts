/**
 * Opsgenie's own npm client (`opsgenie-sdk`, unchanged) against a running Tocsin: every call it makes
 * is observed on the incident. Raw HTTP covers what the Python SDK does (an empty JSON body).
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, type IncidentView } from '../harness/tocsin.js';

type Callback = (error: (Record<string, unknown> & { httpStatusCode?: number }) | null, result: Record<string, unknown> | null) => void;
type Identifier = { identifier: string; identifierType?: 'id' | 'alias' | 'tiny' };
interface AlertV2 {
  create(data: object, config: object | null, cb: Callback): void;
  get(identifier: Identifier, config: object | null, cb: Callback): void;
  getRequestStatus(requestId: string, config: object | null, cb: Callback): void;
  acknowledge(identifier: Identifier, data: object | undefined, config: object | null, cb: Callback): void;
  close(identifier: Identifier, data: object | undefined, config: object | null, cb: Callback): void;
  addNote(identifier: Identifier, data: object, config: object | null, cb: Callback): void;
  snooze(identifier: Identifier, data: object, config: object | null, cb: Callback): void;
  escalateToNext(identifier: Identifier, data: object, config: object | null, cb: Callback): void;
  assign(identifier: Identifier, data: object, config: object | null, cb: Callback): void;
}
interface OpsgenieSdk {
  configure(options: { api_key: string; host: string }): void;
  alertV2: AlertV2;
}

const sdk = createRequire(import.meta.url)('opsgenie-sdk') as OpsgenieSdk;

/** Calls an SDK function; resolves with its result or rejects with Opsgenie's error body. */
function call<T = Record<string, unknown>>(fn: (cb: Callback) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((error, result) => (error ? reject(Object.assign(new Error(String(error.message)), error)) : resolve(result as T))));
}

interface RequestStatus {
  data: { isSuccess: boolean; success: boolean; action: string; alertId: string; alias: string; status: string; integrationId: string };
}
interface OpsgenieAlert {
  data: { id: string; tinyId: string; alias: string; message: string; status: string; acknowledged: boolean; snoozed: boolean; priority: string; tags: string[]; details: Record<string, string>; count: number };
}

const dialects = await testDialects();

describe.each(dialects)('the opsgenie-sdk npm client on %s', (dialect) => {
  let h: Harness;
  let channelId: string;
  let integrationKey: string;
  let integrationId: string;

  beforeAll(async () => {
    h = await Harness.start(dialect);
    channelId = (await h.channel('Opsgenie SDK')).id;
    const integration = await h.integration(channelId, 'opsgenie');
    integrationKey = integration.key;
    integrationId = integration.id;
  });
  afterAll(async () => h?.stop());

  const incident = async (): Promise<IncidentView> => {
    const [first] = await h.incidents(channelId);
    if (!first) throw new Error('no incident');
    return first;
  };
  const timeline = async (id: string) => (await h.admin.get<{ data: { kind: string; data: Record<string, unknown> }[] }>(`/api/v1/incidents/${id}/timeline`)).body.data;

  it('creates, reads, acknowledges, annotates, snoozes and closes through the SDK, each observed on the incident', async () => {
    sdk.configure({ api_key: integrationKey, host: h.url });
    const alerts = sdk.alertV2;

    const created = await call<{ result: string; requestId: string; took: number }>((cb) =>
      alerts.create({ message: 'Database down', alias: 'db-down', priority: 'P1', tags: ['db'], details: { region: 'eu' }, entity: 'db-1' }, null, cb),
    );
    expect(created).toMatchObject({ result: 'Request will be processed', requestId: expect.any(String), took: expect.any(Number) });
    const opened = await incident();
    expect(opened).toMatchObject({ title: 'Database down', severity: 'Critical', status: 'triggered' });

    // retrieve_result(): the status of the create request names the alert and its alias.
    const status = await call<RequestStatus>((cb) => alerts.getRequestStatus(created.requestId, null, cb));
    expect(status.data).toMatchObject({ isSuccess: true, success: true, action: 'Create', alias: 'db-down', integrationId, status: 'Created alert' });
    const [alert] = await h.alerts(channelId);
    expect(status.data.alertId).toBe(alert?.id);

    const fetched = await call<OpsgenieAlert>((cb) => alerts.get({ identifier: 'db-down', identifierType: 'alias' }, null, cb));
    expect(fetched.data).toMatchObject({ id: alert?.id, tinyId: String(opened.number), alias: 'db-down', message: 'Database down', status: 'open', acknowledged: false, priority: 'P1', tags: ['db'], count: 1 });
    expect(fetched.data.details).toMatchObject({ region: 'eu' });

    const acked = await call<{ requestId: string }>((cb) => alerts.acknowledge({ identifier: 'db-down', identifierType: 'alias' }, { user: 'ops', note: 'on it' }, null, cb));
    expect((await incident()).status).toBe('processing');
    expect((await call<RequestStatus>((cb) => alerts.getRequestStatus(acked.requestId, null, cb))).data).toMatchObject({ isSuccess: true, action: 'Acknowledge', alertId: alert?.id, alias: 'db-down' });

    // A note by Tocsin alert id → a comment on the incident's timeline.
    const noted = await call<{ requestId: string }>((cb) => alerts.addNote({ identifier: alert?.id ?? '', identifierType: 'id' }, { note: 'Failing over to the replica', user: 'ops' }, null, cb));
    expect((await timeline(opened.id)).find((e) => e.kind === 'commented')?.data).toMatchObject({ markdown: 'Failing over to the replica', via: 'opsgenie' });
    expect((await call<RequestStatus>((cb) => alerts.getRequestStatus(noted.requestId, null, cb))).data).toMatchObject({ isSuccess: true, action: 'AddNote' });

    // Snooze by tinyId (the incident number) for an hour.
    const endTime = new Date(h.clock.now() + 60 * 60_000).toISOString();
    await call((cb) => alerts.snooze({ identifier: String(opened.number), identifierType: 'tiny' }, { endTime }, null, cb));
    const snoozed = await h.admin.get<{ snoozed_until: number | null }>(`/api/v1/incidents/${opened.id}`);
    expect(snoozed.body.snoozed_until).toBe(h.clock.now() + 60 * 60_000);
    expect((await call<OpsgenieAlert>((cb) => alerts.get({ identifier: String(opened.number), identifierType: 'tiny' }, null, cb))).data).toMatchObject({ acknowledged: true, snoozed: true });

    const closed = await call<{ requestId: string }>((cb) => alerts.close({ identifier: 'db-down', identifierType: 'alias' }, { note: 'fixed' }, null, cb));
    expect((await incident()).status).toBe('closed');
    expect((await h.alerts(channelId))[0]?.status).toBe('Ok');
    expect((await call<RequestStatus>((cb) => alerts.getRequestStatus(closed.requestId, null, cb))).data).toMatchObject({ isSuccess: true, action: 'Close', alertId: alert?.id });
    expect((await call<OpsgenieAlert>((cb) => alerts.get({ identifier: alert?.id ?? '', identifierType: 'id' }, null, cb))).data.status).toBe('closed');
  });

  it('escalates to the next level and assigns an owner through the SDK, paging them and saying so on the timeline', async () => {
    sdk.configure({ api_key: integrationKey, host: h.url });
    const alerts = sdk.alertV2;
    const { person: first } = await h.person('responder', 'Level One');
    const { person: second } = await h.person('responder', 'Level Two');
    const { person: owner } = await h.person('responder', 'Owner Olga');
    const channel = (await h.channel('Opsgenie escalations')).id;
    const key = (await h.integration(channel, 'opsgenie')).key;
    const rule = await h.admin.post(`/api/v1/channels/${channel}/escalation-rules`, {
      name: 'Two levels',
      spec: {
        levels: [
          { targets: { people: [first.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 },
          { targets: { people: [second.id] }, methods: { kind: 'preferences' }, escalate_after_min: 30 },
        ],
      },
    });
    expect(rule.status).toBe(201);
    sdk.configure({ api_key: key, host: h.url });
    await call((cb) => alerts.create({ message: 'Queue backlog', alias: 'queue' }, null, cb));
    await h.advance('0s');
    const [opened] = await h.incidents(channel);
    if (!opened) throw new Error('no incident');
    expect((await h.admin.get<{ escalation_level: number }>(`/api/v1/incidents/${opened.id}`)).body.escalation_level).toBe(1);

    const escalated = await call<{ requestId: string }>((cb) => alerts.escalateToNext({ identifier: 'queue', identifierType: 'alias' }, { escalation: { name: 'Two levels' }, user: 'ops-bot', note: 'nobody answers' }, null, cb));
    const afterEscalate = await h.admin.get<{ escalation_level: number }>(`/api/v1/incidents/${opened.id}`);
    expect(afterEscalate.body.escalation_level).toBe(2);
    expect((await call<RequestStatus>((cb) => alerts.getRequestStatus(escalated.requestId, null, cb))).data).toMatchObject({ isSuccess: true, action: 'EscalateToNext' });
    const manual = (await timeline(opened.id)).find((e) => e.kind === 'escalated_manually');
    expect(manual?.data).toMatchObject({ from_level: 1, to_level: 2, via: 'opsgenie', user: 'ops-bot' });
    // Level 2 was paged (nobody here has a verified contact, so the page says who could not be reached).
    await h.advance('0s');
    const paged = async (name: string) => (await timeline(opened.id)).some((e) => e.kind === 'unreachable' && e.data.name === name);
    expect(await paged('Level Two')).toBe(true);

    // Already at the last level: escalating again pages the last level again.
    await call((cb) => alerts.escalateToNext({ identifier: String(opened.number), identifierType: 'tiny' }, { escalation: { name: 'Two levels' } }, null, cb));
    expect((await timeline(opened.id)).filter((e) => e.kind === 'escalated_manually').map((e) => e.data.to_level)).toEqual([2, 2]);

    // Assign by username (the person's email) — Opsgenie's usual form — then by Tocsin person id.
    const assigned = await call<{ requestId: string }>((cb) => alerts.assign({ identifier: 'queue', identifierType: 'alias' }, { owner: { username: owner.email.toUpperCase() }, user: 'ops-bot' }, null, cb));
    expect((await call<RequestStatus>((cb) => alerts.getRequestStatus(assigned.requestId, null, cb))).data).toMatchObject({ isSuccess: true, action: 'Assign' });
    const view = await h.admin.get<{ assignees: { id: string }[] }>(`/api/v1/incidents/${opened.id}`);
    expect(view.body.assignees.map((a) => a.id)).toEqual([owner.id]);
    await h.advance('0s');
    expect(await paged('Owner Olga')).toBe(true);
    await call((cb) => alerts.assign({ identifier: 'queue', identifierType: 'alias' }, { owner: { id: first.id } }, null, cb));
    expect((await h.admin.get<{ assignees: { id: string }[] }>(`/api/v1/incidents/${opened.id}`)).body.assignees.map((a) => a.id)).toEqual([first.id]);
    expect((await timeline(opened.id)).filter((e) => e.kind === 'reassigned').map((e) => e.data.via)).toEqual(['opsgenie', 'opsgenie']);

    // An unknown owner or a missing one is Opsgenie's 422, recorded as a failed request.
    const unknown = await call((cb) => alerts.assign({ identifier: 'queue', identifierType: 'alias' }, { owner: { username: 'nobody@example.com' } }, null, cb)).catch((e: { httpStatusCode?: number; message?: string }) => e);
    expect(unknown).toMatchObject({ httpStatusCode: 422 });
    expect(String((unknown as { message?: string }).message)).toContain('nobody@example.com');
    const missing = await h.push(`/v2/alerts/queue/assign?identifierType=alias`, { user: 'x' }, { authorization: `GenieKey ${key}` });
    expect(missing.status).toBe(422);
    expect(JSON.stringify(missing.body)).toContain('owner');
  });

  it("answers in Opsgenie's error shape: 400 for a bad identifierType, 404 for an unknown alert, 401 for a bad key", async () => {
    sdk.configure({ api_key: integrationKey, host: h.url });
    const badType = await fetch(`${h.url}/v2/alerts/x/close/?identifierType=name`, { method: 'POST', headers: { authorization: `GenieKey ${integrationKey}`, 'content-type': 'application/json' }, body: '{}' });
    expect(badType.status).toBe(400);
    expect(await badType.json()).toEqual({ message: 'identifierType: must be one of id, alias, tiny', took: expect.any(Number), requestId: expect.any(String) });

    const missing = await call((cb) => sdk.alertV2.get({ identifier: 'no-such-alias', identifierType: 'alias' }, null, cb)).catch((e: unknown) => e);
    expect(missing).toMatchObject({ httpStatusCode: 404, message: 'Alert does not exist', requestId: expect.any(String) });

    const unknownRequest = await call((cb) => sdk.alertV2.getRequestStatus('nope', null, cb)).catch((e: unknown) => e);
    expect(unknownRequest).toMatchObject({ httpStatusCode: 404, message: 'Request does not exist' });

    const badKey = await fetch(`${h.url}/v2/alerts/`, { method: 'POST', headers: { authorization: 'GenieKey 0123456789abcdef0123456789abcdef', 'content-type': 'application/json' }, body: '{"message":"x"}' });
    expect(badKey.status).toBe(401);
    expect(await badKey.json()).toMatchObject({ message: expect.stringContaining('authenticate'), took: expect.any(Number), requestId: expect.any(String) });

    const noMessage = await h.push('/v2/alerts/', { alias: 'x' }, { authorization: `GenieKey ${integrationKey}` });
    expect(noMessage.status).toBe(422);
    expect(noMessage.body).toEqual({ message: 'message: is required', took: expect.any(Number), requestId: expect.any(String) });
  });

  it('accepts acknowledge and close with an empty JSON body (as the Python SDK sends them), nowhere else', async () => {
    const headers = { authorization: `GenieKey ${integrationKey}`, 'content-type': 'application/json' };
    const create = await h.push('/v2/alerts', { message: 'Disk full', alias: 'disk-full', priority: 'P3' }, { authorization: `GenieKey ${integrationKey}` });
    expect(create.status).toBe(202);
    const opened = await incident();
    expect(opened).toMatchObject({ title: 'Disk full', status: 'triggered' });

    const ack = await fetch(`${h.url}/v2/alerts/disk-full/acknowledge?identifierType=alias`, { method: 'POST', headers, body: '' });
    expect(ack.status).toBe(202);
    const ackBody = (await ack.json()) as { requestId: string };
    expect((await h.admin.get<{ status: string }>(`/api/v1/incidents/${opened.id}`)).body.status).toBe('processing');
    const ackStatus = await fetch(`${h.url}/v2/alerts/requests/${ackBody.requestId}`, { headers: { authorization: `GenieKey ${integrationKey}` } });
    expect(((await ackStatus.json()) as RequestStatus).data).toMatchObject({ isSuccess: true, action: 'Acknowledge', alias: 'disk-full' });

    const close = await fetch(`${h.url}/v2/alerts/disk-full/close/?identifierType=alias`, { method: 'POST', headers, body: '' });
    expect(close.status).toBe(202);
    expect((await h.admin.get<{ status: string }>(`/api/v1/incidents/${opened.id}`)).body.status).toBe('closed');

    // Where Opsgenie needs a body, an empty one is still refused, in Opsgenie's shape...
    const emptyCreate = await fetch(`${h.url}/v2/alerts`, { method: 'POST', headers, body: '' });
    expect(emptyCreate.status).toBe(422);
    expect(await emptyCreate.json()).toMatchObject({ message: 'body: must be a JSON object', requestId: expect.any(String) });
    const emptyNote = await fetch(`${h.url}/v2/alerts/disk-full/notes?identifierType=alias`, { method: 'POST', headers, body: '' });
    expect(emptyNote.status).toBe(422);
    // ...and every other endpoint keeps refusing empty JSON bodies in Tocsin's envelope.
    const standard = await h.integration(channelId, 'standard');
    const emptyStandard = await fetch(`${h.url}/event/push/alert/standard?integration_key=${standard.key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' });
    expect(emptyStandard.status).toBe(400);
    expect(await emptyStandard.json()).toMatchObject({ error: { code: 'InvalidParameter', message: 'body: must not be empty' } });
  });

  it('forgets request statuses with the raw payloads (after TOCSIN_RAW_EVENT_RETENTION_DAYS, default 7)', async () => {
    const headers = { authorization: `GenieKey ${integrationKey}` };
    const created = await h.push<{ requestId: string }>('/v2/alerts', { message: 'Short-lived', alias: 'short-lived' }, headers);
    const status = () => fetch(`${h.url}/v2/alerts/requests/${created.body.requestId}`, { headers }).then((r) => r.status);
    expect(await status()).toBe(200);
    await h.advance('6d');
    expect(await status()).toBe(200);
    await h.advance('2d');
    expect(await status()).toBe(404);
  });

  it("keeps each request's status even when a client repeats an X-Request-ID", async () => {
    const headers = { authorization: `GenieKey ${integrationKey}`, 'x-request-id': 'same-id-from-a-proxy' };
    const first = await h.push<{ requestId: string }>('/v2/alerts', { message: 'First', alias: 'rid-1' }, headers);
    const second = await h.push<{ requestId: string }>('/v2/alerts', { message: 'Second', alias: 'rid-2' }, headers);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.body.requestId).not.toBe(second.body.requestId);
    for (const [created, alias] of [[first, 'rid-1'], [second, 'rid-2']] as const) {
      const status = await fetch(`${h.url}/v2/alerts/requests/${created.body.requestId}`, { headers: { authorization: `GenieKey ${integrationKey}` } });
      expect(((await status.json()) as RequestStatus).data).toMatchObject({ isSuccess: true, alias });
    }
  });
});
