import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.js';
import * as ingestion from './0002_ingestion.js';
import * as schedules from './0003_schedules.js';
import * as engine from './0004_engine.js';
import * as escalation from './0005_escalation.js';
import * as callbacks from './0006_callbacks.js';
import * as pagePath from './0007_page_path.js';
import * as inputLimits from './0010_input_limits.js';
import * as accessSecrets from './0009_access_secrets.js';
import * as incidentActions from './0011_incident_actions.js';
import * as reach from './0013_reach.js';
import * as imports from './0014_imports.js';
import * as pushSubscriptions from './0015_push_subscriptions.js';
import * as liveWebhooksAnalytics from './0012_live_webhooks_analytics.js';
import * as imLinks from './0016_im_links.js';
import * as incidentNumberSequence from './0017_incident_number_sequence.js';

/** Every migration, in order. Names never change once released. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_ingestion': ingestion,
  '0003_schedules': schedules,
  '0004_engine': engine,
  '0005_escalation': escalation,
  '0006_callbacks': callbacks,
  '0007_page_path': pagePath,
  '0010_input_limits': inputLimits,
  '0009_access_secrets': accessSecrets,
  '0011_incident_actions': incidentActions,
  '0013_reach': reach,
  '0014_imports': imports,
  '0012_live_webhooks_analytics': liveWebhooksAnalytics,
  '0015_push_subscriptions': pushSubscriptions,
  '0016_im_links': imLinks,
  '0017_incident_number_sequence': incidentNumberSequence,
};
