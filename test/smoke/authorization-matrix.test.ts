import { createECDH, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../harness/databases.js';
import { Harness, PASSWORD, type Person } from '../harness/tocsin.js';
import { ApiClient } from '../harness/client.js';
import { HttpPeer } from '../harness/peers/http-peer.js';

/**
 * Where the matrix's webhooks and webhook providers post: a peer that answers 200. An address that
 * refuses connections made every delivery retry for days of the demo's replayed history
 * (`POST /api/v1/demo`), which took minutes on a loaded PostgreSQL.
 */
let sink: HttpPeer | undefined;
const sinkUrl = (path: string) => `${sink?.url ?? 'http://127.0.0.1:9'}${path}`;

/**
 * The authorization matrix (issue 10, "done means"): every route of /openapi.json is called as each
 * role against public and private objects and the outcome is compared with the table below. A route
 * without a row fails the test, so a new route cannot ship without deciding who may call it.
 *
 * Roles, in the order of every cell string: A admin · O responder of the owning team · X responder of
 * another team · V viewer (in no team) · N anonymous.
 * Outcomes: `ok` = the request passed authorization (2xx, or a 400/409/422 about the input or state),
 * `401`, `403`, `404` = refused. A 5xx never matches anything.
 * Variants (which object the path names): `pub` public channel and its objects, `priv` private channel
 * and its objects (owned by O's team), `shared` the shared integration owned by O's team, `-` none.
 *
 * Adding a route: add a row `'METHOD /path': row({ variant: 'A O X V N' }, how)`; run with
 * `TOCSIN_MATRIX_PRINT=1` to print the observed table in this notation.
 */

const ROLES = ['admin', 'owner', 'other', 'viewer', 'anonymous'] as const;
type Role = (typeof ROLES)[number];
type Variant = 'pub' | 'priv' | 'shared' | '-';

/** Ids of the objects of one variant. */
interface Objects {
  channel: string;
  integration: string;
  integrationKey: string;
  rule: string;
  incident: string;
  alert: string;
  escalation: string;
  schedule: string;
  override: string;
  icalToken: string;
}

interface Fixture {
  h: Harness;
  people: Record<Exclude<Role, 'anonymous'>, Person>;
  ownTeam: string;
  otherTeam: string;
  target: Person;
  provider: string;
  apiKey: string;
  objects: Record<'pub' | 'priv', Objects>;
  shared: { integration: string };
}

type Params = Record<string, string>;
interface Row {
  readonly cells: Partial<Record<Variant, string>>;
  /** Path parameters for a variant (called once per role when `fresh`, so destructive calls each get their own object). */
  readonly params?: (f: Fixture, v: Variant, role: Role) => Params | Promise<Params>;
  readonly body?: (f: Fixture, v: Variant, role: Role) => unknown;
  /** A query string appended to the path (required query parameters). */
  readonly query?: string;
  /** A response that never ends (Server-Sent Events): only its status is read. */
  readonly stream?: boolean;
  /** Call with a new session of the role (routes that end or change the caller's session). */
  readonly freshSession?: boolean;
}

const row = (cells: Row['cells'], how: Omit<Row, 'cells'> = {}): Row => ({ cells, ...how });
const on = (kind: keyof Objects) => (f: Fixture, v: Variant) => ({ id: f.objects[v === 'priv' ? 'priv' : 'pub'][kind] });
const level = (personId: string) => ({ targets: { people: [personId] }, methods: { kind: 'preferences' }, escalate_after_min: 30 });
const filter = [[{ key: 'labels.host', op: 'in', values: ['matrix'] }]];
let unique = 0;
const next = () => (unique += 1);

const EVERYONE_SIGNED_IN = 'ok ok ok ok 401';
const ADMIN_ONLY = 'ok 403 403 403 401';
const PUBLIC = 'ok ok ok ok ok';

/** The expected table, keyed by `METHOD path` exactly as /openapi.json spells the path. */
const MATRIX: Record<string, Row> = {
  // ---- system, setup and sign-in ----
  'GET /healthz': row({ '-': PUBLIC }),
  'GET /readyz': row({ '-': PUBLIC }),
  'GET /api/v1/system': row({ '-': EVERYONE_SIGNED_IN }),
  'GET /api/v1/setup': row({ '-': PUBLIC }),
  'POST /api/v1/setup': row({ '-': PUBLIC }, { body: () => ({ email: `setup${next()}@example.com`, name: 'Late', password: 'long enough password' }) }),
  'POST /api/v1/auth/login': row({ '-': '401 401 401 401 401' }, { body: () => ({ email: `nobody${next()}@example.com`, password: 'wrong password here' }) }),
  'POST /api/v1/auth/logout': row({ '-': PUBLIC }, { freshSession: true }),

  // ---- me ----
  'GET /api/v1/me': row({ '-': EVERYONE_SIGNED_IN }),
  'PATCH /api/v1/me': row({ '-': EVERYONE_SIGNED_IN }, { body: () => ({ time_zone: 'UTC' }) }),
  'POST /api/v1/me/password': row({ '-': EVERYONE_SIGNED_IN }, { body: () => ({ current_password: 'not the password', new_password: 'another long password' }) }),
  'POST /api/v1/me/verifications': row({ '-': EVERYONE_SIGNED_IN }, { body: () => ({ kind: 'email' }) }),
  'POST /api/v1/me/verifications/confirm': row({ '-': EVERYONE_SIGNED_IN }, { body: () => ({ kind: 'email', code: '000000' }) }),
  'GET /api/v1/me/api-keys': row({ '-': EVERYONE_SIGNED_IN }),
  'POST /api/v1/me/api-keys': row({ '-': EVERYONE_SIGNED_IN }, { body: () => ({ name: `matrix ${next()}` }), freshSession: true }),
  // Only the key's owner (O) may revoke it; to anyone else it does not exist.
  'DELETE /api/v1/me/api-keys/{id}': row({ '-': '404 ok 404 404 401' }, { params: async (f, _v, role) => ({ id: role === 'owner' ? await apiKeyOf(f) : f.apiKey }) }),
  'GET /api/v1/me/notification-preferences': row({ '-': EVERYONE_SIGNED_IN }),
  'PUT /api/v1/me/notification-preferences': row({ '-': EVERYONE_SIGNED_IN }, { body: () => ({ Critical: ['email'], Warning: ['email'], Info: ['email'] }) }),
  'GET /api/v1/me/shifts': row({ '-': EVERYONE_SIGNED_IN }),
  // Only one's own links: an unknown or non-linking provider is 404 for everyone signed in.
  'GET /api/v1/me/im-links': row({ '-': EVERYONE_SIGNED_IN }),
  'POST /api/v1/me/im-links/{provider_id}': row({ '-': '404 404 404 404 401' }, { params: (f) => ({ provider_id: f.provider }) }),
  'DELETE /api/v1/me/im-links/{provider_id}': row({ '-': '404 404 404 404 401' }, { params: (f) => ({ provider_id: f.provider }) }),
  'GET /api/v1/me/ical-token': row({ '-': EVERYONE_SIGNED_IN }),
  'POST /api/v1/me/ical-token/regenerate': row({ '-': EVERYONE_SIGNED_IN }),

  // ---- people, teams, audit ----
  'GET /api/v1/users': row({ '-': EVERYONE_SIGNED_IN }),
  'POST /api/v1/users': row({ '-': ADMIN_ONLY }, { body: () => ({ email: `new${next()}@example.com`, name: 'New', role: 'viewer' }) }),
  'GET /api/v1/users/{id}': row({ '-': EVERYONE_SIGNED_IN }, { params: (f) => ({ id: f.target.id }) }),
  'PATCH /api/v1/users/{id}': row({ '-': ADMIN_ONLY }, { params: (f) => ({ id: f.target.id }), body: () => ({ time_zone: 'UTC' }) }),
  'DELETE /api/v1/users/{id}': row({ '-': ADMIN_ONLY }, { params: async (f) => ({ id: await freshPerson(f) }) }),
  'GET /api/v1/users/{id}/shifts': row({ '-': EVERYONE_SIGNED_IN }, { params: (f) => ({ id: f.target.id }) }),
  'GET /api/v1/audit-logs': row({ '-': ADMIN_ONLY }),
  // Only with TOCSIN_DEV_MODE (the matrix runs in dev mode so the route is listed); no code pending = 404.
  'GET /api/v1/dev/verification-codes/{person_id}/{kind}': row({ '-': '404 403 403 403 401' }, { params: (f) => ({ person_id: f.target.id, kind: 'email' }) }),
  'GET /api/v1/teams': row({ '-': EVERYONE_SIGNED_IN }),
  'POST /api/v1/teams': row({ '-': 'ok ok ok 403 401' }, { body: () => ({ name: `Matrix team ${next()}` }) }),
  'GET /api/v1/teams/{id}': row({ '-': EVERYONE_SIGNED_IN }, { params: (f) => ({ id: f.ownTeam }) }),
  'PATCH /api/v1/teams/{id}': row({ '-': 'ok ok 403 403 401' }, { params: (f) => ({ id: f.ownTeam }), body: () => ({ description: 'matrix' }) }),
  'DELETE /api/v1/teams/{id}': row({ '-': 'ok ok 403 403 401' }, { params: async (f, _v, role) => ({ id: (await f.h.team(`Doomed ${next()}`, role === 'owner' ? [f.people.owner] : [])).id }) }),
  'POST /api/v1/teams/{id}/members': row({ '-': 'ok ok 403 403 401' }, { params: (f) => ({ id: f.ownTeam }), body: (f) => ({ person_id: f.target.id }) }),
  'DELETE /api/v1/teams/{id}/members/{person_id}': row(
    { '-': 'ok ok 403 403 401' },
    {
      params: async (f) => {
        const extra = await freshPerson(f);
        await f.h.admin.post(`/api/v1/teams/${f.ownTeam}/members`, { person_id: extra });
        return { id: f.ownTeam, person_id: extra };
      },
    },
  ),

  // ---- channels ----
  'GET /api/v1/channels': row({ '-': EVERYONE_SIGNED_IN }),
  'POST /api/v1/channels': row({ '-': 'ok ok ok 403 401' }, { body: (f, _v, role) => ({ name: `Matrix channel ${next()}`, team_id: role === 'other' ? f.otherTeam : f.ownTeam }) }),
  'GET /api/v1/channels/{id}': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('channel') }),
  'PATCH /api/v1/channels/{id}': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: on('channel'), body: () => ({ description: 'matrix' }) }),
  'DELETE /api/v1/channels/{id}': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: async (f, v) => ({ id: await freshChannel(f, v) }) }),
  'GET /api/v1/channels/{id}/noise-reduction': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('channel') }),
  'PUT /api/v1/channels/{id}/noise-reduction': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: on('channel'), body: () => ({}) }),
  'GET /api/v1/channels/{id}/silences': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('channel') }),
  'POST /api/v1/channels/{id}/silences': row(
    { pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' },
    { params: on('channel'), body: (f) => ({ name: 'matrix', spec: { filter, time: { kind: 'range', start: f.h.clock.now(), end: f.h.clock.now() + 60_000 } } }) },
  ),
  'GET /api/v1/channels/{id}/inhibit-rules': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('channel') }),
  'POST /api/v1/channels/{id}/inhibit-rules': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: on('channel'), body: () => ({ name: 'matrix', spec: { source: filter, target: filter, equal: [] } }) }),
  'GET /api/v1/channels/{id}/drop-rules': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('channel') }),
  'POST /api/v1/channels/{id}/drop-rules': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: on('channel'), body: () => ({ name: 'matrix', spec: { filter } }) }),
  'PATCH /api/v1/rules/{id}': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: on('rule'), body: () => ({ name: 'matrix drop' }) }),
  'DELETE /api/v1/rules/{id}': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: async (f, v) => ({ id: await freshRule(f, v) }) }),

  // ---- integrations ----
  'GET /api/v1/channels/{id}/integrations': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('channel') }),
  // Viewers are refused before the channel is even looked up, so their 403 reveals nothing.
  'POST /api/v1/channels/{id}/integrations': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 403 401' }, { params: on('channel'), body: () => ({ name: `Matrix ${next()}`, source: 'standard' }) }),
  'GET /api/v1/integrations': row({ '-': EVERYONE_SIGNED_IN }),
  'POST /api/v1/integrations': row({ '-': 'ok ok ok 403 401' }, { body: (f, _v, role) => ({ name: `Shared ${next()}`, source: 'standard', team_id: role === 'other' ? f.otherTeam : f.ownTeam }) }),
  'GET /api/v1/integrations/{id}': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401', shared: 'ok ok 404 404 401' }, { params: integrationOf }),
  'PATCH /api/v1/integrations/{id}': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401', shared: 'ok ok 403 403 401' }, { params: integrationOf, body: () => ({ name: 'Matrix renamed' }) }),
  'DELETE /api/v1/integrations/{id}': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401', shared: 'ok ok 403 403 401' }, { params: async (f, v) => ({ id: await freshIntegration(f, v) }) }),
  'POST /api/v1/integrations/{id}/regenerate-key': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401', shared: 'ok ok 403 403 401' }, { params: async (f, v) => ({ id: await freshIntegration(f, v) }) }),
  'GET /api/v1/integrations/{id}/activity': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401', shared: 'ok ok 404 404 401' }, { params: integrationOf }),

  // ---- incidents and alerts ----
  'GET /api/v1/incidents': row({ '-': EVERYONE_SIGNED_IN }),
  'GET /api/v1/incidents/{id}': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('incident') }),
  'GET /api/v1/incidents/{id}/alerts': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('incident') }),
  'GET /api/v1/incidents/{id}/timeline': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('incident') }),
  'GET /api/v1/incidents/{id}/deliveries': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('incident') }),
  // Anyone signed in (but viewers) may act on incidents of public channels (SPEC §6).
  'POST /api/v1/incidents/{id}/ack': row({ pub: 'ok ok ok 403 401', priv: 'ok ok 404 404 401' }, { params: on('incident') }),
  'POST /api/v1/incidents/{id}/unack': row({ pub: 'ok ok ok 403 401', priv: 'ok ok 404 404 401' }, { params: on('incident') }),
  'POST /api/v1/incidents/{id}/snooze': row({ pub: 'ok ok ok 403 401', priv: 'ok ok 404 404 401' }, { params: on('incident'), body: () => ({ minutes: 5 }) }),
  'POST /api/v1/incidents/{id}/wake': row({ pub: 'ok ok ok 403 401', priv: 'ok ok 404 404 401' }, { params: on('incident') }),
  'POST /api/v1/incidents/{id}/resolve': row({ pub: 'ok ok ok 403 401', priv: 'ok ok 404 404 401' }, { params: on('incident'), body: () => ({}) }),
  'POST /api/v1/incidents/{id}/reopen': row({ pub: 'ok ok ok 403 401', priv: 'ok ok 404 404 401' }, { params: on('incident'), body: () => ({ reason: 'matrix' }) }),
  'POST /api/v1/incidents/{id}/comments': row({ pub: 'ok ok ok 403 401', priv: 'ok ok 404 404 401' }, { params: on('incident'), body: () => ({ body: 'matrix' }) }),
  // A silence is channel configuration: only the channel's managers.
  'POST /api/v1/incidents/{id}/quick-silence': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: on('incident'), body: () => ({ duration_mins: 30 }) }),
  'GET /api/v1/alerts': row({ '-': EVERYONE_SIGNED_IN }),
  'GET /api/v1/alerts/{id}': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('alert') }),

  // ---- escalation ----
  'GET /api/v1/channels/{id}/escalation-rules': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('channel') }),
  'POST /api/v1/channels/{id}/escalation-rules': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: on('channel'), body: (f) => ({ name: `Matrix ${next()}`, enabled: false, spec: { levels: [level(f.target.id)] } }) }),
  'PUT /api/v1/channels/{id}/escalation-rules/order': row(
    { pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' },
    { params: on('channel'), body: (f, v) => ({ rule_ids: [f.objects[v === 'priv' ? 'priv' : 'pub'].escalation] }) },
  ),
  'PATCH /api/v1/escalation-rules/{id}': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: on('escalation'), body: () => ({ name: 'Matrix rule' }) }),
  'DELETE /api/v1/escalation-rules/{id}': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: async (f, v) => ({ id: await freshEscalation(f, v) }) }),
  'POST /api/v1/escalation-rules/{id}/copy': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: async (f, v) => ({ id: await freshEscalation(f, v) }) }),

  // ---- notification providers ----
  'GET /api/v1/notification-provider-types': row({ '-': EVERYONE_SIGNED_IN }),
  'GET /api/v1/notification-providers': row({ '-': EVERYONE_SIGNED_IN }),
  'POST /api/v1/notification-providers': row({ '-': ADMIN_ONLY }, { body: () => ({ provider: 'webhook', name: `Matrix ${next()}`, settings: { url: sinkUrl('/never') } }) }),
  'PATCH /api/v1/notification-providers/{id}': row({ '-': ADMIN_ONLY }, { params: (f) => ({ id: f.provider }), body: () => ({ name: 'Matrix hook' }) }),
  'DELETE /api/v1/notification-providers/{id}': row({ '-': ADMIN_ONLY }, { params: async (f) => ({ id: await f.h.provider('webhook', `Doomed ${next()}`, { url: sinkUrl('/never') }) }) }),

  // ---- schedules ----
  'GET /api/v1/schedules': row({ '-': EVERYONE_SIGNED_IN }),
  'POST /api/v1/schedules': row({ '-': 'ok ok ok 403 401' }, { body: (f, _v, role) => ({ name: `Matrix ${next()}`, team_id: role === 'other' ? f.otherTeam : f.ownTeam }) }),
  'POST /api/v1/schedules/preview': row({ '-': EVERYONE_SIGNED_IN }, { body: (f) => ({ range: { start: f.h.clock.now(), end: f.h.clock.now() + 86_400_000 } }) }),
  'GET /api/v1/schedules/{id}': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('schedule') }),
  'PATCH /api/v1/schedules/{id}': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: on('schedule'), body: () => ({ description: 'matrix' }) }),
  'DELETE /api/v1/schedules/{id}': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: async (f, v) => ({ id: await freshSchedule(f, v) }) }),
  'GET /api/v1/schedules/{id}/on-call': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('schedule') }),
  'GET /api/v1/schedules/{id}/timeline': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('schedule') }),
  'GET /api/v1/schedules/{id}/overrides': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('schedule') }),
  'POST /api/v1/schedules/{id}/overrides': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: on('schedule'), body: (f) => ({ person_id: f.target.id }) }),
  'DELETE /api/v1/schedules/{id}/overrides/{override_id}': row(
    { pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' },
    { params: async (f, v) => ({ id: f.objects[v === 'priv' ? 'priv' : 'pub'].schedule, override_id: await freshOverride(f, v) }) },
  ),
  'GET /api/v1/schedules/{id}/ical-token': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: on('schedule') }),
  'POST /api/v1/schedules/{id}/ical-token/regenerate': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: async (f, v) => ({ id: await freshSchedule(f, v) }) }),
  // The feed URL's token is the credential; a session adds nothing (an unknown token is a 404).
  'GET /ical/schedules/{token}.ics': row({ pub: PUBLIC, priv: PUBLIC }, { params: (f, v) => ({ token: f.objects[v === 'priv' ? 'priv' : 'pub'].icalToken }) }),
  'GET /ical/people/{token}.ics': row({ '-': '404 404 404 404 404' }, { params: () => ({ token: 'notarealtokennotarealtoken' }) }),

  // ---- incident response (issue 11) ----
  // A channel the caller cannot see is answered like a missing one (400 on channel_id), revealing nothing.
  'POST /api/v1/incidents': row({ pub: 'ok ok ok 403 401', priv: 'ok ok ok 403 401' }, { body: (f, v) => ({ channel_id: objectsOf(f, v).channel, title: `Matrix manual ${next()}`, severity: 'Warning' }) }),
  'PATCH /api/v1/incidents/{id}': row({ pub: 'ok ok ok 403 401', priv: 'ok ok 404 404 401' }, { params: on('incident'), body: () => ({ impact: 'matrix' }) }),
  'GET /api/v1/alerts/{id}/events': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('alert') }),
  'POST /api/v1/incidents/{id}/assign': row({ pub: 'ok ok ok 403 401', priv: 'ok ok 404 404 401' }, { params: on('incident'), body: (f) => ({ person_ids: [f.target.id] }) }),
  'POST /api/v1/incidents/{id}/responders': row({ pub: 'ok ok ok 403 401', priv: 'ok ok 404 404 401' }, { params: on('incident'), body: (f) => ({ person_ids: [f.target.id] }) }),
  'POST /api/v1/incidents/{id}/escalate': row({ pub: 'ok ok ok 403 401', priv: 'ok ok 404 404 401' }, { params: on('incident'), body: () => ({ level: 1 }) }),
  'POST /api/v1/incidents/{id}/merge': row(
    { pub: 'ok ok ok 403 401', priv: 'ok ok 404 404 401' },
    { params: async (f, v) => ({ id: await freshIncident(f, v) }), body: async (f, v) => ({ source_ids: [await freshIncident(f, v)] }) },
  ),
  // Per-incident results: an incident the caller cannot see comes back as not found, untouched.
  'POST /api/v1/incidents/batch': row({ pub: 'ok ok ok 403 401', priv: 'ok ok ok 403 401' }, { body: (f, v) => ({ action: 'ack', incident_ids: [objectsOf(f, v).incident] }) }),
  'GET /api/v1/incidents/{id}/changes': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('incident') }),
  'GET /api/v1/incidents/{id}/postmortem': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('incident') }),
  'PUT /api/v1/incidents/{id}/postmortem': row({ pub: 'ok ok ok 403 401', priv: 'ok ok 404 404 401' }, { params: on('incident'), body: () => ({ markdown: '# Matrix' }) }),
  'GET /api/v1/incidents/{id}/postmortem.md': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('incident') }),
  'GET /api/v1/custom-fields': row({ '-': EVERYONE_SIGNED_IN }),
  'POST /api/v1/custom-fields': row({ '-': ADMIN_ONLY }, { body: () => ({ name: `matrix_${next()}`, label: 'Matrix', kind: 'text' }) }),
  'PATCH /api/v1/custom-fields/{id}': row({ '-': ADMIN_ONLY }, { params: async (f) => ({ id: await freshField(f) }), body: () => ({ label: 'Matrix renamed' }) }),
  'DELETE /api/v1/custom-fields/{id}': row({ '-': ADMIN_ONLY }, { params: async (f) => ({ id: await freshField(f) }) }),
  // Live updates: everyone signed in connects; what each receives is filtered per channel (live.test.ts).
  'GET /api/v1/stream': row({ '-': EVERYONE_SIGNED_IN }, { stream: true }),
  'POST /api/v1/webhooks': row({ '-': ADMIN_ONLY }, { body: () => ({ url: sinkUrl('/hook'), events: ['*'] }) }),
  'GET /api/v1/webhooks': row({ '-': ADMIN_ONLY }),
  'GET /api/v1/webhooks/{id}': row({ '-': ADMIN_ONLY }, { params: async (f) => ({ id: await freshWebhook(f) }) }),
  'PATCH /api/v1/webhooks/{id}': row({ '-': ADMIN_ONLY }, { params: async (f) => ({ id: await freshWebhook(f) }), body: () => ({ enabled: false }) }),
  'DELETE /api/v1/webhooks/{id}': row({ '-': ADMIN_ONLY }, { params: async (f) => ({ id: await freshWebhook(f) }) }),
  'POST /api/v1/webhooks/{id}/test': row({ '-': ADMIN_ONLY }, { params: async (f) => ({ id: await freshWebhook(f) }) }),
  'GET /api/v1/webhooks/{id}/deliveries': row({ '-': ADMIN_ONLY }, { params: async (f) => ({ id: await freshWebhook(f) }) }),
  'POST /api/v1/notification-providers/{id}/test': row({ '-': ADMIN_ONLY }, { params: (f) => ({ id: f.provider }), body: () => ({}) }),
  'POST /api/v1/users/{id}/test-notification': row({ '-': ADMIN_ONLY }, { params: (f) => ({ id: f.target.id }) }),
  'GET /api/v1/analytics/summary': row({ '-': EVERYONE_SIGNED_IN }),
  'GET /api/v1/analytics/daily': row({ '-': EVERYONE_SIGNED_IN }),
  'GET /api/v1/analytics/breakdown': row({ '-': EVERYONE_SIGNED_IN }, { query: 'by=channel' }),
  'GET /api/v1/analytics/interruptions': row({ '-': EVERYONE_SIGNED_IN }),
  'GET /api/v1/analytics/export.csv': row({ '-': EVERYONE_SIGNED_IN }),

  // ---- reaching people (issue 12) and first steps (issue 13) ----
  'GET /api/v1/me/notification-methods': row({ '-': EVERYONE_SIGNED_IN }),
  'GET /api/v1/me/onboarding': row({ '-': EVERYONE_SIGNED_IN }),
  'GET /api/v1/me/push/config': row({ '-': EVERYONE_SIGNED_IN }),
  'GET /api/v1/me/push-devices': row({ '-': EVERYONE_SIGNED_IN }),
  'POST /api/v1/me/push-devices': row({ '-': EVERYONE_SIGNED_IN }, { body: (f) => pushSubscription(f) }),
  // Devices are the person's own: someone else's answers 404, an admin's included.
  'DELETE /api/v1/me/push-devices/{id}': row({ '-': '404 ok 404 404 401' }, { params: async (f) => ({ id: await pushDeviceOf(f) }) }),
  'POST /api/v1/me/push-devices/{id}/test': row({ '-': '404 ok 404 404 401' }, { params: async (f) => ({ id: await pushDeviceOf(f) }) }),
  'GET /api/v1/channels/{id}/templates': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: on('channel') }),
  'PUT /api/v1/channels/{id}/templates/{method}': row({ pub: 'ok ok 403 403 401', priv: 'ok ok 404 404 401' }, { params: (f, v) => ({ id: objectsOf(f, v).channel, method: 'sms' }), body: () => ({ text: '{{title}}' }) }),
  'POST /api/v1/channels/{id}/templates/{method}/preview': row({ pub: EVERYONE_SIGNED_IN, priv: 'ok ok 404 404 401' }, { params: (f, v) => ({ id: objectsOf(f, v).channel, method: 'sms' }), body: () => ({ text: '{{title}}' }) }),
  // Seeding the demo is an admin's decision (it adds teams, people and channels).
  'POST /api/v1/demo': row({ '-': ADMIN_ONLY }),

  // ---- migration (issue 14) ----
  'POST /api/v1/imports': row({ '-': ADMIN_ONLY }, { body: () => ({ vendor: 'pagerduty', url: 'http://127.0.0.1:9', token: 'matrix', dry_run: true }) }),

  // ---- ingest: the integration key is the credential; a session or API key grants nothing ----
  ...Object.fromEntries(
    ['standard', 'prometheus', 'grafana', 'zabbix', 'nagios', 'cloudwatch', 'datadog', 'custom'].map((source) => [`POST /event/push/alert/${source}`, row({ '-': '401 401 401 401 401' }, { body: () => ({}) })]),
  ),
  'POST /v2/enqueue': row({ '-': 'ok ok ok ok ok' }, { body: () => ({ routing_key: 'not-a-key', event_action: 'trigger' }) }),
  'POST /v2/change/enqueue': row({ '-': 'ok ok ok ok ok' }, { body: () => ({ routing_key: 'not-a-key' }) }),
  'POST /v2/alerts': row({ '-': '401 401 401 401 401' }, { body: () => ({ message: 'matrix' }) }),
  'POST /v2/alerts/{identifier}/close': row({ '-': '401 401 401 401 401' }, { params: () => ({ identifier: 'matrix' }), body: () => ({}) }),
  'POST /v2/alerts/{identifier}/acknowledge': row({ '-': '401 401 401 401 401' }, { params: () => ({ identifier: 'matrix' }), body: () => ({}) }),
  'POST /event/push/heartbeat': row({ '-': '401 401 401 401 401' }, { body: () => ({}) }),
  'GET /event/push/heartbeat': row({ '-': '401 401 401 401 401' }),
  'POST /v2/heartbeats/{name}/ping': row({ '-': '401 401 401 401 401' }, { params: () => ({ name: 'matrix' }) }),
  'GET /v2/heartbeats/{name}/ping': row({ '-': '401 401 401 401 401' }, { params: () => ({ name: 'matrix' }) }),
  'POST /integrations/v1/{kind}/{token}/': row({ '-': '401 401 401 401 401' }, { params: () => ({ kind: 'alertmanager', token: 'notarealtokennotarealtoken' }), body: () => ({}) }),
  'POST /v2/alerts/{identifier}/notes': row({ '-': '401 401 401 401 401' }, { params: () => ({ identifier: 'matrix' }), body: () => ({ note: 'matrix' }) }),
  'POST /v2/alerts/{identifier}/snooze': row({ '-': '401 401 401 401 401' }, { params: () => ({ identifier: 'matrix' }), body: () => ({}) }),
  'POST /v2/alerts/{identifier}/escalate': row({ '-': '401 401 401 401 401' }, { params: () => ({ identifier: 'matrix' }), body: () => ({}) }),
  'POST /v2/alerts/{identifier}/assign': row({ '-': '401 401 401 401 401' }, { params: () => ({ identifier: 'matrix' }), body: () => ({}) }),
  'GET /v2/alerts/requests/{requestId}': row({ '-': '401 401 401 401 401' }, { params: () => ({ requestId: 'matrix' }) }),
  'GET /v2/alerts/{identifier}': row({ '-': '401 401 401 401 401' }, { params: () => ({ identifier: 'matrix' }) }),
};

// ---- fixtures -----------------------------------------------------------------------------------


function integrationOf(f: Fixture, v: Variant): Params {
  return { id: v === 'shared' ? f.shared.integration : f.objects[v === 'priv' ? 'priv' : 'pub'].integration };
}

async function created<T extends { id: string }>(response: Promise<{ status: number; body: unknown }>, what: string): Promise<T> {
  const done = await response;
  if (done.status !== 201) throw new Error(`creating ${what} failed: ${done.status} ${JSON.stringify(done.body)}`);
  return done.body as T;
}

/** A person without a password (no argon2 work: the matrix makes many). */
function objectsOf(f: Fixture, v: Variant): Objects {
  return f.objects[v === 'priv' ? 'priv' : 'pub'];
}

async function freshIncident(f: Fixture, v: Variant): Promise<string> {
  return (await created<{ id: string }>(f.h.admin.post('/api/v1/incidents', { channel_id: objectsOf(f, v).channel, title: `Matrix incident ${next()}`, severity: 'Warning' }), 'incident')).id;
}

async function freshField(f: Fixture): Promise<string> {
  return (await created<{ id: string }>(f.h.admin.post('/api/v1/custom-fields', { name: `field_${next()}`, label: 'Matrix field', kind: 'text' }), 'custom field')).id;
}

async function freshWebhook(f: Fixture): Promise<string> {
  return (await created<{ id: string }>(f.h.admin.post('/api/v1/webhooks', { url: sinkUrl('/hook'), events: ['*'] }), 'webhook')).id;
}

async function freshPerson(f: Fixture): Promise<string> {
  return (await created(f.h.admin.post('/api/v1/users', { email: `fresh${next()}@example.com`, name: 'Fresh', role: 'viewer' }), 'person')).id;
}

async function freshChannel(f: Fixture, v: Variant): Promise<string> {
  return (await created(f.h.admin.post('/api/v1/channels', { name: `Fresh ${next()}`, team_id: f.ownTeam, private: v === 'priv' }), 'channel')).id;
}

async function freshRule(f: Fixture, v: Variant): Promise<string> {
  return (await created(f.h.admin.post(`/api/v1/channels/${f.objects[v === 'priv' ? 'priv' : 'pub'].channel}/drop-rules`, { name: `Fresh ${next()}`, spec: { filter } }), 'rule')).id;
}

async function freshIntegration(f: Fixture, v: Variant): Promise<string> {
  if (v === 'shared') return (await created(f.h.admin.post('/api/v1/integrations', { name: `Fresh ${next()}`, source: 'standard', team_id: f.ownTeam }), 'shared integration')).id;
  return (await f.h.integration(f.objects[v === 'priv' ? 'priv' : 'pub'].channel, 'standard')).id;
}

async function freshEscalation(f: Fixture, v: Variant): Promise<string> {
  const channel = f.objects[v === 'priv' ? 'priv' : 'pub'].channel;
  return (await created(f.h.admin.post(`/api/v1/channels/${channel}/escalation-rules`, { name: `Fresh ${next()}`, enabled: false, spec: { levels: [level(f.target.id)] } }), 'escalation rule')).id;
}

async function freshSchedule(f: Fixture, v: Variant): Promise<string> {
  return (await created(f.h.admin.post('/api/v1/schedules', { name: `Fresh ${next()}`, team_id: f.ownTeam, private: v === 'priv' }), 'schedule')).id;
}

async function freshOverride(f: Fixture, v: Variant): Promise<string> {
  const schedule = f.objects[v === 'priv' ? 'priv' : 'pub'].schedule;
  return (await created(f.h.admin.post(`/api/v1/schedules/${schedule}/overrides`, { person_id: f.target.id }), 'override')).id;
}

/** A new API key of the owner (revoking one must not leave the owner without keys for the next call). */
async function apiKeyOf(f: Fixture): Promise<string> {
  const session = await signIn(f.h, f.people.owner);
  return (await created(session.post('/api/v1/me/api-keys', { name: `Revocable ${next()}` }), 'API key')).id;
}

/**
 * A browser subscription with fresh keys. Its endpoint is a path Tocsin itself answers 404 to, which a
 * push service's 404 means "subscription gone": a page that falls back to app push (people here have no
 * verified contact) removes the device at once instead of retrying an unreachable service for days of
 * simulated time (the demo seeder's engine runs on the same database).
 */
function pushSubscription(f: Fixture): { endpoint: string; keys: { p256dh: string; auth: string } } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { endpoint: `${f.h.url}/matrix-push-service/${next()}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') } };
}

/** A new push device of the owner. */
async function pushDeviceOf(f: Fixture): Promise<string> {
  const session = await signIn(f.h, f.people.owner);
  return (await created(session.post('/api/v1/me/push-devices', pushSubscription(f)), 'push device')).id;
}

async function signIn(h: Harness, person: Person): Promise<ApiClient> {
  const client = h.client();
  const login = await client.post('/api/v1/auth/login', { email: person.email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`login of ${person.email} failed: ${JSON.stringify(login.body)}`);
  return client;
}

async function objectsFor(h: Harness, teamId: string, target: Person, isPrivate: boolean): Promise<Objects> {
  const channel = await h.channel(`Matrix ${isPrivate ? 'private' : 'public'} channel`, { teamId, private: isPrivate });
  const integration = await h.integration(channel.id, 'standard');
  const rule = await created(h.admin.post(`/api/v1/channels/${channel.id}/drop-rules`, { name: 'Matrix drop', spec: { filter } }), 'drop rule');
  await h.push(`/event/push/alert/standard?integration_key=${integration.key}`, { title_rule: 'Matrix incident', event_status: 'Warning', alert_key: 'matrix', labels: { service: 'matrix' } });
  const [incident] = await h.incidents(channel.id);
  const [alert] = await h.alerts(channel.id);
  const escalation = await created(h.admin.post(`/api/v1/channels/${channel.id}/escalation-rules`, { name: 'Matrix rule', enabled: false, spec: { levels: [level(target.id)] } }), 'escalation rule');
  const schedule = await created(h.admin.post('/api/v1/schedules', { name: `Matrix ${isPrivate ? 'private' : 'public'} schedule`, team_id: teamId, private: isPrivate }), 'schedule');
  const override = await created(h.admin.post(`/api/v1/schedules/${schedule.id}/overrides`, { person_id: target.id }), 'override');
  const feed = await h.admin.get<{ url: string }>(`/api/v1/schedules/${schedule.id}/ical-token`);
  const icalToken = /\/ical\/schedules\/([^/]+)\.ics/.exec(feed.body.url)?.[1] ?? '';
  if (!incident || !alert || !icalToken) throw new Error('matrix fixture incomplete');
  return { channel: channel.id, integration: integration.id, integrationKey: integration.key, rule: rule.id, incident: incident.id, alert: alert.id, escalation: escalation.id, schedule: schedule.id, override: override.id, icalToken };
}

// ---- the test -----------------------------------------------------------------------------------

const dialects = await testDialects();

function classify(status: number): string {
  if (status === 401 || status === 403 || status === 404) return String(status);
  if (status >= 500) return String(status);
  return 'ok';
}

describe.each(dialects)('authorization matrix on %s', (dialect) => {
  let h: Harness;
  let f: Fixture;
  let clients: Record<Role, ApiClient>;

  beforeAll(async () => {
    sink ??= await HttpPeer.start();
    h = await Harness.start(dialect, { devMode: true });
    const admin = await h.person('admin', 'Matrix Admin');
    const owner = await h.person('responder', 'Matrix Owner');
    const other = await h.person('responder', 'Matrix Other');
    const viewer = await h.person('viewer', 'Matrix Viewer');
    const target = (await h.person('responder', 'Matrix Target')).person;
    const ownTeam = await h.team('Matrix owning team', [owner.person, target]);
    const otherTeam = (await h.team('Matrix other team', [other.person])).id;
    const provider = await h.provider('webhook', 'Matrix hook', { url: sinkUrl('/never') });
    const shared = await created(h.admin.post('/api/v1/integrations', { name: 'Matrix shared', source: 'standard', team_id: ownTeam.id }), 'shared integration');
    f = {
      h,
      people: { admin: admin.person, owner: owner.person, other: other.person, viewer: viewer.person },
      ownTeam: ownTeam.id,
      otherTeam,
      target,
      provider,
      apiKey: (await created(owner.client.post('/api/v1/me/api-keys', { name: 'Matrix kept key' }), 'API key')).id,
      objects: { pub: await objectsFor(h, ownTeam.id, target, false), priv: await objectsFor(h, ownTeam.id, target, true) },
      shared: { integration: shared.id },
    };
    clients = { admin: admin.client, owner: owner.client, other: other.client, viewer: viewer.client, anonymous: h.client() };
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await sink?.close();
    sink = undefined;
  });

  it('answers every route of /openapi.json as the table says, for every role and object', async () => {
    const spec = (await h.client().get<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json')).body;
    const routes = Object.entries(spec.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(routes.length).toBeGreaterThan(100);
    const missing = routes.filter((route) => !(route in MATRIX));
    expect(missing, 'routes without a row in the authorization matrix').toEqual([]);
    const stale = Object.keys(MATRIX).filter((route) => !routes.includes(route));
    expect(stale, 'rows for routes that no longer exist').toEqual([]);

    const observed: Record<string, Partial<Record<Variant, string>>> = {};
    const mismatches: string[] = [];
    let calls = 0;
    for (const route of routes) {
      const entry = MATRIX[route];
      if (!entry) continue;
      const [method = 'GET', template = '/'] = route.split(' ');
      for (const [variant, expected] of Object.entries(entry.cells) as [Variant, string][]) {
        const call = async (role: Role): Promise<string> => {
          const params = entry.params ? await entry.params(f, variant, role) : {};
          const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`));
          const client = entry.freshSession && role !== 'anonymous' ? await signIn(h, f.people[role]) : clients[role];
          const url = entry.query ? `${path}?${entry.query}` : path;
          calls += 1;
          if (entry.stream) return classify(await client.streamStatus(url));
          const body = (await entry.body?.(f, variant, role)) as Record<string, unknown> | undefined;
          const response = await client.request(method, url, method === 'GET' || method === 'DELETE' ? undefined : (body ?? {}));
          return classify(response.status);
        };
        const byRole = new Map<Role, string>();
        if (method === 'GET') {
          // Reads change nothing: every role at once.
          (await Promise.all(ROLES.map(async (role) => [role, await call(role)] as const))).forEach(([role, outcome]) => byRole.set(role, outcome));
        } else {
          // Denied callers first, so an allowed write never removes or changes what the next role needs.
          for (const role of ['anonymous', 'viewer', 'other', 'owner', 'admin'] as const) byRole.set(role, await call(role));
        }
        const actual = ROLES.map((role) => byRole.get(role) ?? '?').join(' ');
        (observed[route] ??= {})[variant] = actual;
        if (actual !== expected) mismatches.push(`${route} [${variant}] expected "${expected}" got "${actual}"`);
      }
    }
    if (process.env.TOCSIN_MATRIX_PRINT) console.log(JSON.stringify(observed, null, 1));
    expect(calls).toBeGreaterThan(500);
    expect(mismatches).toEqual([]);
  }, 600_000);
});
