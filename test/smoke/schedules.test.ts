import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, type Person } from '../harness/tocsin.js';

const dialects = await testDialects();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** Unix ms of an ISO-8601 instant with an explicit offset or Z. */
const at = (iso: string): number => Date.parse(iso);

interface ScheduleBody {
  id: string;
  name: string;
  team_id: string;
  private: boolean;
  time_zone: string;
  can_manage: boolean;
  layers: { members: string[][]; rotation: { unit: string; weekday: string | null } }[];
}

interface OverrideBody {
  id: string;
  person_id: string;
  role: string;
  start: number;
  end: number;
  created_by: string | null;
  deleted_at: number | null;
  deleted_by: string | null;
}

interface OnCallBody {
  at: number;
  on_call: { role: string; person_ids: string[] }[];
  people: { id: string; name: string }[];
}

interface TimelineBody {
  start: number;
  end: number;
  final: { start: number; end: number; role: string; person_ids: string[] }[];
  layers: { index: number; name: string; shifts: { start: number; end: number; person_ids: string[] }[] }[];
}

interface ShiftsBody {
  start: number;
  end: number;
  data: { schedule_id: string; schedule_name: string; role: string; start: number; end: number }[];
}

interface FeedEvent {
  start: number;
  end: number;
  summary: string;
}

/** Parses a feed with ical.js (a real RFC 5545 parser). */
function parseFeed(text: string): FeedEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((c) => {
    const event = new ICAL.Event(c);
    return { start: event.startDate.toJSDate().getTime(), end: event.endDate.toJSDate().getTime(), summary: event.summary };
  });
}

/** A weekly layer handing off on Mondays at `handoff`, starting at `start`. */
function weeklyLayer(members: (string | string[])[], start: number, handoff = '09:00') {
  return { name: 'Weekly', members, rotation: { unit: 'week', count: 1, handoff_time: handoff, weekday: 'monday' }, start };
}

describe.each(dialects)('on-call schedules on %s', (dialect) => {
  let h: Harness;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let team: { id: string; name: string };
  /** The New York weekly rotation (Alice, Bob, Carol; Monday 09:00 local), public. */
  let ny: ScheduleBody;

  beforeAll(async () => {
    h = await Harness.start(dialect);
    alice = (await h.person('responder', 'Alice')).person;
    bob = (await h.person('responder', 'Bob')).person;
    carol = (await h.person('responder', 'Carol')).person;
    team = await h.team('Payments on-call', [alice, bob, carol]);
    // Monday 2026-02-23 09:00 EST: Alice until 03-02, Bob until 03-09 (across the 03-08 change), Carol until 03-16.
    const created = await h.admin.post<ScheduleBody>('/api/v1/schedules', {
      name: 'Payments primary',
      team_id: team.id,
      time_zone: 'America/New_York',
      layers: [weeklyLayer([alice.id, bob.id, carol.id], at('2026-02-23T09:00:00-05:00'))],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ny = created.body;
  });
  afterAll(async () => h?.stop());

  const onCall = async (scheduleId: string, iso?: string): Promise<string[]> => {
    const answer = await h.admin.get<OnCallBody>(`/api/v1/schedules/${scheduleId}/on-call${iso ? `?at=${at(iso)}` : ''}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.on_call.find((r) => r.role === 'primary')?.person_ids ?? [];
  };

  it('hands a weekly rotation over at 09:00 New York time on both sides of the 2026-03-08 DST change', async () => {
    expect(ny).toMatchObject({ time_zone: 'America/New_York', private: false, can_manage: true });
    expect(ny.layers[0]?.members).toEqual([[alice.id], [bob.id], [carol.id]]);
    // Before the change New York is UTC−5 (09:00 = 14:00Z); after it UTC−4 (09:00 = 13:00Z).
    expect(await onCall(ny.id, '2026-03-02T13:59:59Z')).toEqual([alice.id]);
    expect(await onCall(ny.id, '2026-03-02T14:00:00Z')).toEqual([bob.id]);
    expect(await onCall(ny.id, '2026-03-08T06:59:59Z')).toEqual([bob.id]); // 01:59:59 EST, just before the change
    expect(await onCall(ny.id, '2026-03-08T07:00:00Z')).toEqual([bob.id]); // 03:00 EDT
    expect(await onCall(ny.id, '2026-03-09T12:59:59Z')).toEqual([bob.id]); // 08:59:59 EDT
    expect(await onCall(ny.id, '2026-03-09T13:00:00Z')).toEqual([carol.id]); // 09:00 EDT, not 10:00
    expect(await onCall(ny.id, '2026-03-16T12:59:59Z')).toEqual([carol.id]);
    expect(await onCall(ny.id, '2026-03-16T13:00:00Z')).toEqual([alice.id]);

    const answer = await h.admin.get<OnCallBody>(`/api/v1/schedules/${ny.id}/on-call?at=${at('2026-03-09T13:00:00Z')}`);
    expect(answer.body).toEqual({
      at: at('2026-03-09T13:00:00Z'),
      on_call: [{ role: 'primary', person_ids: [carol.id] }],
      people: [{ id: carol.id, name: 'Carol' }],
    });

    // Bob's shift across the change is 7 days minus the lost hour.
    const timeline = await h.admin.get<TimelineBody>(
      `/api/v1/schedules/${ny.id}/timeline?start=${at('2026-03-02T00:00:00Z')}&end=${at('2026-03-17T00:00:00Z')}`,
    );
    expect(timeline.status).toBe(200);
    expect(timeline.body.final).toEqual([
      { start: at('2026-03-02T00:00:00Z'), end: at('2026-03-02T14:00:00Z'), role: 'primary', person_ids: [alice.id] },
      { start: at('2026-03-02T14:00:00Z'), end: at('2026-03-09T13:00:00Z'), role: 'primary', person_ids: [bob.id] },
      { start: at('2026-03-09T13:00:00Z'), end: at('2026-03-16T13:00:00Z'), role: 'primary', person_ids: [carol.id] },
      { start: at('2026-03-16T13:00:00Z'), end: at('2026-03-17T00:00:00Z'), role: 'primary', person_ids: [alice.id] },
    ]);
    expect(timeline.body.layers.map((l) => l.shifts.length)).toEqual([4]);
  });

  it('lets an override replace the rotation, and keeps a deleted override in the history', async () => {
    const created = await h.admin.post<OverrideBody>(`/api/v1/schedules/${ny.id}/overrides`, {
      person_id: alice.id,
      start: at('2026-03-10T14:00:00Z'),
      end: at('2026-03-11T14:00:00Z'),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      person_id: alice.id,
      role: 'primary',
      start: at('2026-03-10T14:00:00Z'),
      end: at('2026-03-11T14:00:00Z'),
      deleted_at: null,
    });

    expect(await onCall(ny.id, '2026-03-10T13:59:59Z')).toEqual([carol.id]);
    expect(await onCall(ny.id, '2026-03-10T14:00:00Z')).toEqual([alice.id]);
    expect(await onCall(ny.id, '2026-03-11T13:59:59Z')).toEqual([alice.id]);
    expect(await onCall(ny.id, '2026-03-11T14:00:00Z')).toEqual([carol.id]); // the override's end is exclusive

    const listed = await h.admin.get<{ data: OverrideBody[] }>(`/api/v1/schedules/${ny.id}/overrides`);
    expect(listed.body.data.map((o) => o.id)).toEqual([created.body.id]);

    expect((await h.admin.delete(`/api/v1/schedules/${ny.id}/overrides/${created.body.id}`)).status).toBe(204);
    expect(await onCall(ny.id, '2026-03-10T14:00:00Z')).toEqual([carol.id]);
    expect((await h.admin.get<{ data: OverrideBody[] }>(`/api/v1/schedules/${ny.id}/overrides`)).body.data).toEqual([]);
    const history = await h.admin.get<{ data: OverrideBody[] }>(`/api/v1/schedules/${ny.id}/overrides?include_deleted=true`);
    const me = await h.admin.get<{ id: string }>('/api/v1/me');
    expect(history.body.data).toEqual([
      expect.objectContaining({ id: created.body.id, person_id: alice.id, deleted_at: h.clock.now(), deleted_by: me.body.id, created_by: me.body.id }),
    ]);
    expect((await h.admin.delete(`/api/v1/schedules/${ny.id}/overrides/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('defaults an override to today 00:00 – tomorrow 00:00 in the schedule zone', async () => {
    // The harness clock reads 2026-03-02T09:00Z, 04:00 on Monday 2 March in New York (EST, UTC−5).
    expect(h.clock.now()).toBe(at('2026-03-02T09:00:00Z'));
    const created = await h.admin.post<OverrideBody>(`/api/v1/schedules/${ny.id}/overrides`, { person_id: carol.id, role: 'backup' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ start: at('2026-03-02T05:00:00Z'), end: at('2026-03-03T05:00:00Z'), role: 'backup' });
    const answer = await h.admin.get<OnCallBody>(`/api/v1/schedules/${ny.id}/on-call`);
    expect(answer.body.on_call).toEqual([
      { role: 'primary', person_ids: [alice.id] },
      { role: 'backup', person_ids: [carol.id] },
    ]);
    expect((await h.admin.get<OnCallBody>(`/api/v1/schedules/${ny.id}/on-call?role=backup`)).body.on_call).toEqual([
      { role: 'backup', person_ids: [carol.id] },
    ]);
    await h.admin.delete(`/api/v1/schedules/${ny.id}/overrides/${created.body.id}`);

    const half = await h.admin.post(`/api/v1/schedules/${ny.id}/overrides`, { person_id: carol.id, start: at('2026-03-02T05:00:00Z') });
    expect(half).toMatchObject({ status: 400, body: { error: { code: 'InvalidParameter', field: 'end' } } });
  });

  it('hides a private schedule from outsiders and lets only the owning team and admins change one', async () => {
    const { person: owner, client: ownerClient } = await h.person('responder', 'Owner');
    const { person: outsiderPerson, client: outsider } = await h.person('responder', 'Outsider');
    const { person: viewer, client: viewerClient } = await h.person('viewer', 'Viewer');
    const secretTeam = await h.team('Secret ops', [owner, viewer]);

    const hidden = await ownerClient.post<ScheduleBody>('/api/v1/schedules', {
      name: 'Secret rota',
      team_id: secretTeam.id,
      private: true,
      time_zone: 'Europe/Berlin',
      // The outsider takes the second week without being in the team (nor able to see the schedule).
      layers: [weeklyLayer([owner.id, outsiderPerson.id], at('2026-03-02T09:00:00+01:00'))],
    });
    expect(hidden.status, JSON.stringify(hidden.body)).toBe(201);
    expect(hidden.body).toMatchObject({ private: true, can_manage: true });
    const id = hidden.body.id;

    const notThere = await outsider.get(`/api/v1/schedules/${id}`);
    expect(notThere).toMatchObject({ status: 404, body: { error: { code: 'ResourceNotFound' } } });
    expect((await outsider.get(`/api/v1/schedules/${crypto.randomUUID()}`)).body).toEqual({ ...notThere.body, request_id: expect.any(String) });
    expect((await outsider.get<{ data: ScheduleBody[] }>('/api/v1/schedules')).body.data.map((s) => s.id)).not.toContain(id);
    expect((await outsider.get<{ data: ScheduleBody[] }>('/api/v1/schedules')).body.data.map((s) => s.id)).toContain(ny.id);
    expect((await outsider.get(`/api/v1/schedules/${id}/on-call`)).status).toBe(404);
    expect((await outsider.get(`/api/v1/schedules/${id}/timeline`)).status).toBe(404);
    expect((await outsider.patch(`/api/v1/schedules/${id}`, { name: 'Mine now' })).status).toBe(404);
    expect((await outsider.post(`/api/v1/schedules/${id}/overrides`, { person_id: owner.id })).status).toBe(404);
    expect((await outsider.delete(`/api/v1/schedules/${id}`)).status).toBe(404);
    expect((await ownerClient.get<{ data: ScheduleBody[] }>('/api/v1/schedules')).body.data.map((s) => s.id)).toContain(id);
    expect((await h.admin.get(`/api/v1/schedules/${id}`)).status).toBe(200);

    // Everyone sees their own shifts; others' shifts only in schedules they may see.
    const range = `start=${at('2026-03-02T00:00:00Z')}&end=${at('2026-03-16T00:00:00Z')}`;
    const ownerWeek = { schedule_id: id, schedule_name: 'Secret rota', role: 'primary', start: at('2026-03-02T08:00:00Z'), end: at('2026-03-09T08:00:00Z') };
    const outsiderWeek = { schedule_id: id, schedule_name: 'Secret rota', role: 'primary', start: at('2026-03-09T08:00:00Z'), end: at('2026-03-16T00:00:00Z') };
    expect((await ownerClient.get<ShiftsBody>(`/api/v1/me/shifts?${range}`)).body.data).toEqual([ownerWeek]);
    expect((await outsider.get<ShiftsBody>(`/api/v1/me/shifts?${range}`)).body.data).toEqual([outsiderWeek]);
    expect((await outsider.get<ShiftsBody>(`/api/v1/users/${owner.id}/shifts?${range}`)).body.data).toEqual([]);
    expect((await h.admin.get<ShiftsBody>(`/api/v1/users/${owner.id}/shifts?${range}`)).body.data).toEqual([ownerWeek]);
    expect((await ownerClient.get<ShiftsBody>(`/api/v1/users/${outsiderPerson.id}/shifts?${range}`)).body.data).toEqual([outsiderWeek]);

    // A public schedule: everyone reads it; only its team and admins change it.
    const seen = await outsider.get<ScheduleBody>(`/api/v1/schedules/${ny.id}`);
    expect(seen).toMatchObject({ status: 200, body: { can_manage: false } });
    const attempts = [
      await outsider.patch(`/api/v1/schedules/${ny.id}`, { description: 'hijacked' }),
      await outsider.post(`/api/v1/schedules/${ny.id}/overrides`, { person_id: alice.id }),
      await outsider.delete(`/api/v1/schedules/${ny.id}`),
      await outsider.get(`/api/v1/schedules/${ny.id}/ical-token`),
    ];
    for (const attempt of attempts) expect(attempt).toMatchObject({ status: 403, body: { error: { code: 'AccessDenied' } } });
    expect((await ownerClient.post('/api/v1/schedules', { name: 'Not my team', team_id: team.id })).body).toMatchObject({ error: { field: 'team_id' } });

    // Viewers read but change nothing, even in their own team.
    expect((await viewerClient.get(`/api/v1/schedules/${id}`)).status).toBe(200);
    expect((await viewerClient.post('/api/v1/schedules', { name: 'Viewer rota', team_id: secretTeam.id })).status).toBe(403);
    expect((await viewerClient.patch(`/api/v1/schedules/${id}`, { description: 'nope' })).status).toBe(403);
    expect((await viewerClient.post(`/api/v1/schedules/${id}/overrides`, { person_id: viewer.id })).status).toBe(403);

    const changed = await ownerClient.patch<ScheduleBody>(`/api/v1/schedules/${id}`, { private: false, description: 'now public' });
    expect(changed).toMatchObject({ status: 200, body: { private: false } });
    expect((await outsider.get(`/api/v1/schedules/${id}`)).status).toBe(200);

    // A team that owns a schedule cannot be deleted from under it.
    expect((await h.admin.delete(`/api/v1/teams/${secretTeam.id}`)).status).toBe(409);
    expect((await ownerClient.delete(`/api/v1/schedules/${id}`)).status).toBe(204);
    expect((await ownerClient.get(`/api/v1/schedules/${id}`)).status).toBe(404);
  });

  it('names the field in every validation error', async () => {
    const layer = weeklyLayer([alice.id], at('2026-03-02T09:00:00Z'));
    const cases: [Record<string, unknown>, string][] = [
      [{ team_id: team.id }, 'name'],
      [{ name: 'x', team_id: team.id, time_zone: 'Mars/Olympus' }, 'time_zone'],
      [{ name: 'x', team_id: 'no-such-team' }, 'team_id'],
      [{ name: 'x', team_id: team.id, layers: [{ ...layer, rotation: { ...layer.rotation, count: 0 } }] }, 'layers[0].rotation.count'],
      [
        { name: 'x', team_id: team.id, layers: [layer, { ...layer, rotation: { unit: 'fortnight', count: 1, handoff_time: '09:00' } }] },
        'layers[1].rotation.unit',
      ],
      [{ name: 'x', team_id: team.id, layers: [{ ...layer, rotation: { ...layer.rotation, handoff_time: '25:00' } }] }, 'layers[0].rotation.handoff_time'],
      [{ name: 'x', team_id: team.id, layers: [{ ...layer, members: [alice.id, 'no-such-person'] }] }, 'layers[0].members[1]'],
      [{ name: 'x', team_id: team.id, layers: [{ ...layer, members: [alice.id, [bob.id, 'ghost']] }] }, 'layers[0].members[1][1]'],
      [
        { name: 'x', team_id: team.id, layers: [{ ...layer, restrictions: { kind: 'daily', windows: [{ start: '9am', end: '17:00' }] } }] },
        'layers[0].restrictions.windows[0].start',
      ],
    ];
    for (const [body, field] of cases) {
      const response = await h.admin.post('/api/v1/schedules', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body).toMatchObject({
        error: { code: 'InvalidParameter', field, message: expect.stringContaining(`${field}:`) },
        request_id: expect.any(String),
      });
    }
    const patched = await h.admin.patch(`/api/v1/schedules/${ny.id}`, { layers: [{ ...layer, role: 'Primary!' }] });
    expect(patched.body).toMatchObject({ error: { field: 'layers[0].role' } });
    expect((await h.admin.post('/api/v1/schedules', { name: 'Payments primary', team_id: team.id })).body).toMatchObject({
      error: { code: 'Conflict', field: 'name' },
    });

    const start = at('2026-03-01T00:00:00Z');
    const tooLong = await h.admin.get(`/api/v1/schedules/${ny.id}/timeline?start=${start}&end=${start + 91 * DAY}`);
    expect(tooLong).toMatchObject({ status: 400, body: { error: { code: 'InvalidParameter', field: 'end', message: 'end: must span at most 90 days' } } });
    expect((await h.admin.get(`/api/v1/schedules/${ny.id}/timeline?start=${start}&end=${start + 90 * DAY}`)).status).toBe(200);
    expect((await h.admin.get(`/api/v1/schedules/${ny.id}/timeline?start=${start}&end=${start}`)).body).toMatchObject({ error: { field: 'end' } });
    expect((await h.admin.get(`/api/v1/me/shifts?start=${start}&end=${start + 91 * DAY}`)).body).toMatchObject({ error: { field: 'end' } });
    expect((await h.admin.get(`/api/v1/schedules/${ny.id}/on-call?at=soon`)).body).toMatchObject({ error: { field: 'at' } });

    const overrideCases: [Record<string, unknown>, string][] = [
      [{ person_id: 'no-such-person' }, 'person_id'],
      [{ person_id: alice.id, start: start + HOUR, end: start }, 'end'],
      [{ person_id: alice.id, role: 'On Call' }, 'role'],
    ];
    for (const [body, field] of overrideCases) {
      const response = await h.admin.post(`/api/v1/schedules/${ny.id}/overrides`, body);
      expect(response, JSON.stringify(body)).toMatchObject({ status: 400, body: { error: { code: 'InvalidParameter', field } } });
    }
  });

  it('previews a draft without storing anything', async () => {
    const before = await h.admin.get<{ data: ScheduleBody[] }>('/api/v1/schedules?limit=100');
    const auditBefore = await h.admin.get<{ data: unknown[] }>('/api/v1/audit-logs?target_type=schedule&limit=100');
    const preview = await h.admin.post<TimelineBody & { people: { id: string; name: string }[] }>('/api/v1/schedules/preview', {
      name: 'Draft',
      time_zone: 'Europe/London',
      layers: [
        { name: 'Days', members: [alice.id, bob.id], rotation: { unit: 'day', count: 1, handoff_time: '08:00' }, start: at('2026-03-28T08:00:00Z') },
        {
          name: 'Weekend cover',
          members: [[carol.id]],
          rotation: { unit: 'week', count: 1, handoff_time: '00:00', weekday: 'saturday' },
          start: at('2026-03-01T00:00:00Z'),
          restrictions: { kind: 'daily', windows: [{ start: '12:00', end: '13:00' }] },
        },
      ],
      range: { start: at('2026-03-28T08:00:00Z'), end: at('2026-03-30T08:00:00Z') },
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    // London moves to BST on 2026-03-29: 08:00 local is 08:00Z before and 07:00Z after.
    expect(preview.body.final).toEqual([
      { start: at('2026-03-28T08:00:00Z'), end: at('2026-03-28T12:00:00Z'), role: 'primary', person_ids: [alice.id] },
      { start: at('2026-03-28T12:00:00Z'), end: at('2026-03-28T13:00:00Z'), role: 'primary', person_ids: [carol.id] },
      { start: at('2026-03-28T13:00:00Z'), end: at('2026-03-29T07:00:00Z'), role: 'primary', person_ids: [alice.id] },
      { start: at('2026-03-29T07:00:00Z'), end: at('2026-03-29T11:00:00Z'), role: 'primary', person_ids: [bob.id] },
      { start: at('2026-03-29T11:00:00Z'), end: at('2026-03-29T12:00:00Z'), role: 'primary', person_ids: [carol.id] },
      { start: at('2026-03-29T12:00:00Z'), end: at('2026-03-30T07:00:00Z'), role: 'primary', person_ids: [bob.id] },
      { start: at('2026-03-30T07:00:00Z'), end: at('2026-03-30T08:00:00Z'), role: 'primary', person_ids: [alice.id] },
    ]);
    expect(preview.body.layers.map((l) => [l.name, l.shifts.length])).toEqual([
      ['Days', 3],
      ['Weekend cover', 2],
    ]);
    expect(preview.body.people.map((p) => p.name)).toEqual(['Alice', 'Bob', 'Carol']);

    expect((await h.admin.get<{ data: ScheduleBody[] }>('/api/v1/schedules?limit=100')).body.data).toEqual(before.body.data);
    expect((await h.admin.get<{ data: unknown[] }>('/api/v1/audit-logs?target_type=schedule&limit=100')).body.data).toEqual(auditBefore.body.data);

    const bad = await h.admin.post('/api/v1/schedules/preview', {
      time_zone: 'UTC',
      layers: [{ name: 'x', members: ['ghost'], rotation: { unit: 'day', count: 1, handoff_time: '08:00' }, start: 0 }],
      range: { start: 0, end: DAY },
    });
    expect(bad.body).toMatchObject({ error: { field: 'layers[0].members[0]' } });
    const long = await h.admin.post('/api/v1/schedules/preview', { time_zone: 'UTC', layers: [], range: { start: 0, end: 91 * DAY } });
    expect(long.body).toMatchObject({ error: { field: 'range.end' } });
  });

  it("serves a person's shifts as an iCalendar feed behind a secret URL that can be replaced", async () => {
    const { person: xavier, client } = await h.person('responder', 'Xavier');
    const { person: yara } = await h.person('responder', 'Yara');
    const { person: zed } = await h.person('responder', 'Zed');
    const feedTeam = await h.team('Feed team', [xavier, yara, zed]);
    // UTC weekly rotation from Monday 2026-02-02 00:00: Xavier has the weeks starting 02-02, 02-23, 03-16, 04-06, 04-27.
    const rotationStart = at('2026-02-02T00:00:00Z');
    const rota = await client.post<ScheduleBody>('/api/v1/schedules', {
      name: 'Feed rota',
      team_id: feedTeam.id,
      time_zone: 'UTC',
      layers: [weeklyLayer([xavier.id, yara.id, zed.id], rotationStart, '00:00')],
    });
    expect(rota.status, JSON.stringify(rota.body)).toBe(201);
    // In another schedule Xavier only appears through an override.
    const other = await client.post<ScheduleBody>('/api/v1/schedules', {
      name: 'Feed other',
      team_id: feedTeam.id,
      time_zone: 'UTC',
      layers: [weeklyLayer([zed.id], rotationStart, '00:00')],
    });
    await client.post(`/api/v1/schedules/${other.body.id}/overrides`, {
      person_id: xavier.id,
      start: at('2026-03-05T10:00:00Z'),
      end: at('2026-03-05T12:00:00Z'),
    });

    const token = await client.get<{ url: string; webcal_url: string }>('/api/v1/me/ical-token');
    expect(token.status).toBe(200);
    expect(token.body.url).toMatch(new RegExp(`^${h.tocsin.config.publicUrl}/ical/people/[A-Za-z0-9_-]{43}\\.ics$`));
    expect(token.body.webcal_url).toBe(token.body.url.replace(/^https?:/, 'webcal:'));
    expect((await client.get<{ url: string }>('/api/v1/me/ical-token')).body.url).toBe(token.body.url); // stable until regenerated
    const path = new URL(token.body.url).pathname;

    const feed = await fetch(`${h.url}${path}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const events = parseFeed(await feed.text());

    // Exactly Xavier's shifts, clipped to 7 days back and 60 days ahead.
    const now = h.clock.now();
    const lo = now - 7 * DAY;
    const hi = now + 60 * DAY;
    const expected: FeedEvent[] = [];
    for (let s = rotationStart; s < hi; s += 3 * WEEK) {
      const start = Math.max(s, lo);
      const end = Math.min(s + WEEK, hi);
      if (start < end) expected.push({ start, end, summary: 'On call: Feed rota (primary)' });
    }
    expected.push({ start: at('2026-03-05T10:00:00Z'), end: at('2026-03-05T12:00:00Z'), summary: 'On call: Feed other (primary)' });
    expected.sort((a, b) => a.start - b.start);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect(events.sort((a, b) => a.start - b.start)).toEqual(expected);

    const regenerated = await client.post<{ url: string }>('/api/v1/me/ical-token/regenerate');
    expect(regenerated.status).toBe(200);
    expect(regenerated.body.url).not.toBe(token.body.url);
    expect((await fetch(`${h.url}${path}`)).status).toBe(404);
    const fresh = await fetch(`${h.url}${new URL(regenerated.body.url).pathname}`);
    expect(fresh.status).toBe(200);
    expect(parseFeed(await fresh.text())).toHaveLength(expected.length);
    expect((await fetch(`${h.url}/ical/people/${'A'.repeat(43)}.ics`)).status).toBe(404);
    expect((await fetch(`${h.url}/ical/people/nonsense.ics`)).status).toBe(404);

    // The schedule feed: managers get its URL; it lists who is on call.
    const scheduleToken = await client.get<{ url: string }>(`/api/v1/schedules/${rota.body.id}/ical-token`);
    expect(scheduleToken.status).toBe(200);
    const scheduleFeed = await fetch(`${h.url}${new URL(scheduleToken.body.url).pathname}`);
    expect(scheduleFeed.status).toBe(200);
    const scheduleEvents = parseFeed(await scheduleFeed.text());
    expect(scheduleEvents.length).toBeGreaterThan(expected.length);
    expect(scheduleEvents.filter((e) => e.summary === 'Xavier: Feed rota (primary)').map((e) => e.start)).toEqual(
      expected.filter((e) => e.summary.includes('Feed rota')).map((e) => e.start),
    );
    const replaced = await client.post<{ url: string }>(`/api/v1/schedules/${rota.body.id}/ical-token/regenerate`);
    expect(replaced.body.url).not.toBe(scheduleToken.body.url);
    expect((await fetch(`${h.url}${new URL(scheduleToken.body.url).pathname}`)).status).toBe(404);
    expect((await fetch(`${h.url}/ical/schedules/${'A'.repeat(43)}.ics`)).status).toBe(404);
  });

  it('records every change in the audit log', async () => {
    const log = await h.admin.get<{ data: { action: string; before: unknown; after: unknown }[] }>(
      `/api/v1/audit-logs?target_type=schedule&target_id=${ny.id}&limit=100`,
    );
    const actions = log.body.data.map((e) => e.action);
    expect(actions).toContain('schedule.create');
    expect(actions.filter((a) => a === 'schedule.override.create')).toHaveLength(2);
    expect(actions.filter((a) => a === 'schedule.override.delete')).toHaveLength(2);
    const changed = await h.admin.patch<ScheduleBody>(`/api/v1/schedules/${ny.id}`, { description: 'Card payments' });
    expect(changed.status).toBe(200);
    const [latest] = (
      await h.admin.get<{ data: { action: string; before: { description: string }; after: { description: string; layers: unknown[] } }[] }>(
        `/api/v1/audit-logs?target_type=schedule&target_id=${ny.id}`,
      )
    ).body.data;
    expect(latest).toMatchObject({
      action: 'schedule.update',
      before: { description: '' },
      after: { description: 'Card payments', layers: [expect.objectContaining({ name: 'Weekly' })] },
    });
  });

  it('finds the shift notices due in a window, for the engine to send', async () => {
    // Payments primary hands over from Bob to Carol at 2026-03-09T13:00Z; the incoming notice is due 15 minutes before.
    const notices = await h.tocsin.services.schedules.dueShiftNotices(at('2026-03-09T12:40:00Z'), at('2026-03-09T13:00:00Z'));
    const mine = notices.filter((n) => n.scheduleId === ny.id);
    expect(mine.map((n) => ({ kind: n.kind, personId: n.personId, dueAt: n.dueAt }))).toEqual([
      { kind: 'shift-start', personId: carol.id, dueAt: at('2026-03-09T12:45:00Z') },
      { kind: 'shift-end', personId: bob.id, dueAt: at('2026-03-09T13:00:00Z') },
    ]);
    expect(mine[0]?.dedupKey).toBe(`shift-start:${ny.id}:${carol.id}:${at('2026-03-09T13:00:00Z')}`);
    // The next window has nothing for this schedule: each notice is due exactly once.
    const next = await h.tocsin.services.schedules.dueShiftNotices(at('2026-03-09T13:00:00Z'), at('2026-03-09T13:20:00Z'));
    expect(next.filter((n) => n.scheduleId === ny.id)).toEqual([]);
  });

  it('answers "who is on call now" from the clock', async () => {
    // 2026-03-02T09:00Z is 04:00 EST: Alice until 09:00 local (14:00Z).
    expect(await onCall(ny.id)).toEqual([alice.id]);
    await h.advance('5h');
    expect(await onCall(ny.id)).toEqual([bob.id]);
    await h.advance('7d'); // 2026-03-09T14:00Z = 10:00 EDT: Carol since 09:00 EDT
    expect(await onCall(ny.id)).toEqual([carol.id]);
    const shifts = await h.admin.get<ShiftsBody>(`/api/v1/users/${carol.id}/shifts`);
    expect(shifts.body).toMatchObject({ start: h.clock.now(), end: h.clock.now() + 7 * DAY });
    expect(shifts.body.data).toEqual([
      { schedule_id: ny.id, schedule_name: 'Payments primary', role: 'primary', start: h.clock.now(), end: at('2026-03-16T13:00:00Z') },
    ]);
  });
});
