import type { Generated } from 'kysely';

/**
 * Table types. Times are UTC milliseconds (bigint in PostgreSQL, integer in SQLite); flags are
 * integers 0/1 in both dialects so the same rows come back from either; JSON is stored as text.
 */
export interface Database {
  persons: PersonsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  verification_codes: VerificationCodesTable;
  verification_sends: VerificationSendsTable;
  channels: ChannelsTable;
  channel_managing_teams: ChannelManagingTeamsTable;
  audit_log: AuditLogTable;
  integrations: IntegrationsTable;
  integration_stats: IntegrationStatsTable;
  raw_events: RawEventsTable;
  incidents: IncidentsTable;
  alerts: AlertsTable;
  events: EventsTable;
  timeline: TimelineTable;
  channel_rules: ChannelRulesTable;
  counters: CountersTable;
  schedules: SchedulesTable;
  schedule_overrides: ScheduleOverridesTable;
  jobs: JobsTable;
  escalation_rules: EscalationRulesTable;
  notification_providers: NotificationProvidersTable;
  messages: MessagesTable;
  action_tokens: ActionTokensTable;
  person_ical_tokens: PersonIcalTokensTable;
  ingest_locks: IngestLocksTable;
  inhibit_keys: InhibitKeysTable;
  incident_responders: IncidentRespondersTable;
  custom_fields: CustomFieldsTable;
  incident_field_values: IncidentFieldValuesTable;
  change_events: ChangeEventsTable;
  postmortems: PostmortemsTable;
  channel_templates: ChannelTemplatesTable;
  opsgenie_requests: OpsgenieRequestsTable;
  import_mappings: ImportMappingsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  push_subscriptions: PushSubscriptionsTable;
  im_links: ImLinksTable;
  im_link_tokens: ImLinkTokensTable;
}

export interface PersonsTable {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  password_hash: string | null;
  phone: string | null;
  email_verified_at: number | null;
  phone_verified_at: number | null;
  time_zone: string;
  locale: string;
  preferences_json: Generated<string>;
  created_at: number;
  updated_at: number;
}

export interface TeamsTable {
  id: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface TeamMembersTable {
  team_id: string;
  person_id: string;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  person_id: string;
  secret_hash: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  user_agent: string;
  ip: string;
}

export interface ApiKeysTable {
  id: string;
  person_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** Unix ms after which the key stops working; null = never (migration 0009). */
  expires_at: Generated<number | null>;
  /** `full` (the owner's rights) or `read` (safe methods only). */
  scope: Generated<string>;
}

export interface VerificationCodesTable {
  id: string;
  person_id: string;
  kind: string;
  target: string;
  code_hash: string;
  attempts: number;
  expires_at: number;
  consumed_at: number | null;
  created_at: number;
}

/** A verification code sent (kept a day), for the per-person daily cap. */
export interface VerificationSendsTable {
  id: string;
  person_id: string;
  kind: string;
  created_at: number;
}

export interface ChannelsTable {
  id: string;
  name: string;
  description: string;
  team_id: string;
  private: number;
  disabled: number;
  noise_json: Generated<string>;
  created_at: number;
  updated_at: number;
}

export interface ChannelManagingTeamsTable {
  channel_id: string;
  team_id: string;
}

export interface AuditLogTable {
  id: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
  created_at: number;
}

export interface IntegrationsTable {
  id: string;
  channel_id: string | null;
  team_id: string | null;
  name: string;
  source: string;
  key_hash: string;
  key_sealed: string;
  email_prefix: string | null;
  settings_json: string;
  disabled: number;
  last_event_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface IntegrationStatsTable {
  integration_id: string;
  hour: number;
  accepted: number;
  dropped: number;
  rejected: number;
}

export interface RawEventsTable {
  id: string;
  integration_id: string;
  received_at: number;
  content_type: string;
  payload: string;
  outcome: string;
  detail: string;
}

export interface IncidentsTable {
  id: string;
  number: number;
  channel_id: string;
  title: string;
  description: string;
  severity: string;
  status: string;
  labels_json: string;
  group_key: string | null;
  alert_count: number;
  active_alert_count: number;
  edited_fields: string;
  storm_level: number;
  created_at: number;
  updated_at: number;
  last_merge_at: number;
  acknowledged_at: number | null;
  closed_at: number | null;
  root_cause: string | null;
  resolution: string | null;
  rule_id: Generated<string | null>;
  rule_snapshot_json: Generated<string | null>;
  escalation_epoch: Generated<number>;
  escalation_level: Generated<number | null>;
  snoozed_until: Generated<number | null>;
  acknowledgers_json: Generated<string>;
  impact: Generated<string>;
  merged_into: Generated<string | null>;
}

export interface AlertsTable {
  id: string;
  channel_id: string;
  integration_id: string | null;
  incident_id: string | null;
  alert_key: string;
  title: string;
  description: string;
  severity: string;
  status: string;
  labels_json: string;
  /** The silence rule or inhibiting alert that keeps this alert out of incidents. */
  suppressed_by: string | null;
  event_count: number;
  state: string;
  flapping: number;
  flap_changes: string;
  muted_until: number | null;
  first_event_at: number;
  last_event_at: number;
  recovered_at: number | null;
  created_at: number;
}

export interface EventsTable {
  id: string;
  alert_id: string;
  status: string;
  title: string;
  description: string;
  labels_json: string;
  event_time: number;
  received_at: number;
}

export interface TimelineTable {
  id: string;
  incident_id: string;
  kind: string;
  actor_id: string | null;
  data_json: string;
  created_at: number;
}

export interface ChannelRulesTable {
  id: string;
  channel_id: string;
  kind: string;
  name: string;
  enabled: number;
  position: number;
  spec_json: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface SchedulesTable {
  id: string;
  name: string;
  description: string;
  team_id: string;
  time_zone: string;
  private: number;
  /** `{"layers": [...]}` in the API form, checked by normalizeSchedule. */
  spec_json: string;
  ical_token_hash: string;
  ical_token_sealed: string;
  created_at: number;
  updated_at: number;
}

export interface ScheduleOverridesTable {
  id: string;
  schedule_id: string;
  person_id: string;
  role: string;
  start_at: number;
  end_at: number;
  created_by: string | null;
  created_at: number;
  deleted_at: number | null;
  deleted_by: string | null;
}

export interface PersonIcalTokensTable {
  person_id: string;
  token_hash: string;
  token_sealed: string;
  created_at: number;
}

export interface JobsTable {
  id: string;
  kind: string;
  key: string;
  run_at: number;
  payload_json: string;
  status: string;
  attempts: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

export interface EscalationRulesTable {
  id: string;
  channel_id: string;
  name: string;
  position: number;
  enabled: number;
  spec_json: string;
  created_at: number;
  updated_at: number;
}

export interface NotificationProvidersTable {
  id: string;
  provider: string;
  name: string;
  settings_json: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface MessagesTable {
  id: string;
  key: string;
  incident_id: string | null;
  person_id: string | null;
  provider_id: string | null;
  method: string;
  kind: string;
  recipient_json: string;
  payload_json: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  provider_message_id: Generated<string | null>;
  /** Why a pending message waits (throttle / bundle window); null otherwise. */
  wait_reason: Generated<string | null>;
}

/** A person's chat on an IM provider that cannot find people by email (Telegram's private chat id). */
export interface ImLinksTable {
  provider_id: string;
  person_id: string;
  external_id: string;
  display_name: string | null;
  created_at: number;
}

/** A one-time token of a deep link that links an IM chat to a person (hashed). */
export interface ImLinkTokensTable {
  token_hash: string;
  provider_id: string;
  person_id: string;
  expires_at: number;
  created_at: number;
}

/** A browser's Web Push subscription, registered by its person (migration 0015). */
export interface PushSubscriptionsTable {
  id: string;
  person_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  /** What the person sees in their device list ("Chrome on Android"). */
  label: string;
  user_agent: string | null;
  created_at: number;
  last_success_at: number | null;
}

export interface ActionTokensTable {
  id: string;
  token_hash: string;
  incident_id: string;
  action: string;
  person_id: string | null;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

/** An Opsgenie API request's outcome, for `GET /v2/alerts/requests/{id}` (pruned with raw events). */
export interface OpsgenieRequestsTable {
  id: string;
  integration_id: string;
  action: string;
  success: number;
  status: string;
  alert_id: string | null;
  alias: string | null;
  created_at: number;
}

/** What an importer created for a vendor object, so a re-run updates it instead of duplicating. */
export interface ImportMappingsTable {
  vendor: string;
  /** The vendor API's base URL: two accounts of one vendor never share mappings. */
  account: string;
  kind: string;
  vendor_id: string;
  local_id: string;
  /** Hash of the vendor object as last imported: unchanged → nothing written. */
  fingerprint: string;
  created_at: number;
  updated_at: number;
}

/** Keeps `Generated` importable for later tables with database-side defaults. */
export type { Generated };

/** Lock rows ingest batches take on PostgreSQL (migration 0007_page_path). */
export interface IngestLocksTable {
  slot: number;
}

/** Assignees and responders of an incident: people, or schedules (whoever is on call when paged). */
export interface IncidentRespondersTable {
  incident_id: string;
  target_type: string;
  target_id: string;
  role: string;
  added_by: string | null;
  added_at: number;
}

/** Custom incident fields defined by admins (text, select, multi_select, checkbox). */
export interface CustomFieldsTable {
  id: string;
  name: string;
  label: string;
  kind: string;
  options_json: string;
  created_at: number;
  updated_at: number;
}

/** One row per value (a multi-select has several), so filtering the incident list is an indexed lookup. */
export interface IncidentFieldValuesTable {
  incident_id: string;
  field_id: string;
  value: string;
}

/** Change events (deploys, config changes) shown on the incidents of their channel. */
export interface ChangeEventsTable {
  id: string;
  channel_id: string;
  integration_id: string | null;
  title: string;
  labels_json: string;
  links_json: string;
  event_time: number;
  received_at: number;
}

/** One markdown post-mortem per incident. */
export interface PostmortemsTable {
  incident_id: string;
  markdown: string;
  updated_by: string | null;
  created_at: number;
  updated_at: number;
}

/** A channel's template override of one notification method (SPEC §8.3); absent parts use the default. */
export interface ChannelTemplatesTable {
  channel_id: string;
  method: string;
  subject: string | null;
  text: string | null;
  html: string | null;
  updated_at: number;
  updated_by: string | null;
}

export interface WebhooksTable {
  id: string;
  name: string;
  url: string;
  events_json: string;
  channel_ids_json: string | null;
  secret_sealed: string;
  enabled: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  incident_id: string | null;
  alert_id: string | null;
  status: string;
  attempts: number;
  request_body: string;
  created_at: number;
  finished_at: number | null;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  attempt: number;
  request_headers_json: string;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
  duration_ms: number;
  created_at: number;
}

/** Open, active alerts that can inhibit others, by rule and `equal` label values (migration 0007_page_path). */
export interface InhibitKeysTable {
  rule_id: string;
  equal_key: string;
  alert_id: string;
}
