/**
 * Names for the API's shapes, all derived from schema.d.ts (generated from the server's
 * OpenAPI document by `npm run api:generate`), so a server change shows up as a type error here.
 */
import type { paths } from './schema';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/**
 * What a lookup gives when the schema has no such JSON response or body. Deliberately not
 * `never` (which silently allows any property access): using it is a compile error at the use site.
 */
interface NotInSchema<What> {
  readonly notInSchema: What;
}

type JsonOf<T, What> = T extends { content: { 'application/json': infer Body } } ? Body : NotInSchema<What>;

/** The JSON body the server answers `method path` with, for the given status. */
export type ResponseOf<P extends keyof paths, M extends Method, Status extends number = 200> = paths[P][M] extends {
  responses: infer Responses;
}
  ? Status extends keyof Responses
    ? JsonOf<Responses[Status], [P, M, Status]>
    : NotInSchema<[P, M, Status]>
  : NotInSchema<[P, M]>;

/** The JSON request body of `method path`. */
export type BodyOf<P extends keyof paths, M extends Method> = paths[P][M] extends { requestBody?: infer Body }
  ? JsonOf<NonNullable<Body>, [P, M, 'body']>
  : NotInSchema<[P, M, 'body']>;

/** Unix time in milliseconds, as every timestamp in the API. */
export type UnixMs = number;

/** A cursor page as returned by every list endpoint. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export type SetupStatus = ResponseOf<'/api/v1/setup', 'get'>;
export type SystemInfo = ResponseOf<'/api/v1/system', 'get'>;
export type SessionResponse = ResponseOf<'/api/v1/auth/login', 'post'>;

/** The signed-in person, with the teams they belong to. */
export type Me = ResponseOf<'/api/v1/me', 'get'>;
export type TeamRef = Me['teams'][number];
export type Person = ResponseOf<'/api/v1/users/{id}', 'get'>;
export type Role = Person['role'];
export type PersonStatus = Person['status'];

export type ContactKind = BodyOf<'/api/v1/me/verifications', 'post'>['kind'];
export type VerificationStarted = ResponseOf<'/api/v1/me/verifications', 'post', 202>;
export type ApiKey = ResponseOf<'/api/v1/me/api-keys', 'get'>['data'][number];
/** Returned once, on creation: `key` is never shown again. */
export type CreatedApiKey = ResponseOf<'/api/v1/me/api-keys', 'post', 201>;

export type Team = ResponseOf<'/api/v1/teams', 'get'>['data'][number];
export type TeamDetail = ResponseOf<'/api/v1/teams/{id}', 'get'>;
export type TeamMember = TeamDetail['members'][number];

export type Channel = ResponseOf<'/api/v1/channels/{id}', 'get'>;
export type AuditEntry = ResponseOf<'/api/v1/audit-logs', 'get'>['data'][number];

export type SetupBody = BodyOf<'/api/v1/setup', 'post'>;
export type LoginBody = BodyOf<'/api/v1/auth/login', 'post'>;
export type UpdateMeBody = BodyOf<'/api/v1/me', 'patch'>;
export type ChangePasswordBody = BodyOf<'/api/v1/me/password', 'post'>;
export type CreatePersonBody = BodyOf<'/api/v1/users', 'post'>;
export type UpdatePersonBody = BodyOf<'/api/v1/users/{id}', 'patch'>;
export type CreateTeamBody = BodyOf<'/api/v1/teams', 'post'>;
export type UpdateTeamBody = BodyOf<'/api/v1/teams/{id}', 'patch'>;
export type CreateChannelBody = BodyOf<'/api/v1/channels', 'post'>;
export type UpdateChannelBody = BodyOf<'/api/v1/channels/{id}', 'patch'>;

// ---- Integrations -------------------------------------------------------------------------------

export type Integration = ResponseOf<'/api/v1/integrations/{id}', 'get'>;
export type IntegrationSettings = Integration['settings'];
export type IntegrationActivity = ResponseOf<'/api/v1/integrations/{id}/activity', 'get'>;
export type RawEvent = IntegrationActivity['raw_events'][number];
export type CreateChannelIntegrationBody = BodyOf<'/api/v1/channels/{id}/integrations', 'post'>;
export type CreateSharedIntegrationBody = BodyOf<'/api/v1/integrations', 'post'>;
export type UpdateIntegrationBody = BodyOf<'/api/v1/integrations/{id}', 'patch'>;
/** The push path names (SPEC §3.1), as the create endpoint enumerates them. */
export type SourceName = CreateChannelIntegrationBody['source'];

// ---- Noise reduction and rules ------------------------------------------------------------------

export type NoiseSettingsResponse = ResponseOf<'/api/v1/channels/{id}/noise-reduction', 'get'>;
export type NoiseSettingsBody = BodyOf<'/api/v1/channels/{id}/noise-reduction', 'put'>;
export type Rule = ResponseOf<'/api/v1/channels/{id}/silences', 'get'>['data'][number];
export type CreateRuleBody = BodyOf<'/api/v1/channels/{id}/silences', 'post'>;
export type UpdateRuleBody = BodyOf<'/api/v1/rules/{id}', 'patch'>;

// ---- Incidents and alerts -----------------------------------------------------------------------

export type Incident = ResponseOf<'/api/v1/incidents/{id}', 'get'>;
export type IncidentStatus = Incident['status'];
export type Severity = Incident['severity'];
export type IncidentListQuery = NonNullable<paths['/api/v1/incidents']['get']['parameters']['query']>;
export type TimelineEntry = ResponseOf<'/api/v1/incidents/{id}/timeline', 'get'>['data'][number];
export type Alert = ResponseOf<'/api/v1/incidents/{id}/alerts', 'get'>['data'][number];
export type AlertDetail = ResponseOf<'/api/v1/alerts/{id}', 'get'>;
export type AlertEvent = AlertDetail['events'][number];
export type ResolveIncidentBody = BodyOf<'/api/v1/incidents/{id}/resolve', 'post'>;
export type EditIncidentBody = BodyOf<'/api/v1/incidents/{id}', 'patch'>;
export type CreateIncidentBody = BodyOf<'/api/v1/incidents', 'post'>;
export type CustomField = ResponseOf<'/api/v1/custom-fields', 'get'>['data'][number];
export type ChangeEvent = ResponseOf<'/api/v1/incidents/{id}/changes', 'get'>['data'][number];

// ---- Escalation and notifications ---------------------------------------------------------------

export type EscalationRule = ResponseOf<'/api/v1/channels/{id}/escalation-rules', 'get'>['data'][number];
export type CreateEscalationRuleBody = BodyOf<'/api/v1/channels/{id}/escalation-rules', 'post'>;
export type UpdateEscalationRuleBody = BodyOf<'/api/v1/escalation-rules/{id}', 'patch'>;
export type ProviderType = ResponseOf<'/api/v1/notification-provider-types', 'get'>['data'][number];
export type ProviderConfig = ResponseOf<'/api/v1/notification-providers', 'get'>['data'][number];
export type CreateProviderBody = BodyOf<'/api/v1/notification-providers', 'post'>;
export type UpdateProviderBody = BodyOf<'/api/v1/notification-providers/{id}', 'patch'>;
export type NotificationPreferences = ResponseOf<'/api/v1/me/notification-preferences', 'get'>;
export type Delivery = ResponseOf<'/api/v1/incidents/{id}/deliveries', 'get'>['data'][number];
