/**
 * The built-in Web Push provider (issue 12 item 1, ADR 0055): app push works with zero setup. At
 * start-up every node makes sure one `webpush` configuration with a fixed id exists — with the VAPID
 * keys of `TOCSIN_VAPID_*` when the operator set them, otherwise with a pair generated once. The keys
 * live in the database (the private key sealed with the secret key, like every provider secret), not
 * in each node's data directory: browsers bind a subscription to the public key, so every node of a
 * PostgreSQL cluster must sign with the same pair. An admin can disable the configuration (or change
 * its keys) like any other; it cannot be deleted, because the next start would bring it back.
 */
import type { Clock } from '../core/clock.js';
import type { Executor } from '../db/types.js';
import { generateVapidKeys, webPushProvider } from './providers/webpush/index.js';
import { findProviderRow, insertProviderRowIfMissing, updateProviderRow } from './providers-store.js';
import { prepareSettingsUpdate, type StoredSettings } from './registry.js';

export const BUILTIN_WEBPUSH_ID = 'builtin-webpush';
export const BUILTIN_WEBPUSH_NAME = 'Web Push (built in)';

/** VAPID keys and contact from the environment (`TOCSIN_VAPID_*`), already checked to be a pair. */
export interface VapidConfig {
  readonly publicKey?: string | undefined;
  readonly privateKey?: string | undefined;
  readonly subject: string;
}

function sealed(settings: Record<string, unknown>, secretKey: Buffer): StoredSettings {
  const prepared = prepareSettingsUpdate(webPushProvider, settings, undefined, secretKey);
  if (!prepared.ok) throw new Error(`built-in Web Push settings are invalid: ${prepared.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
  return prepared.value;
}

/**
 * Creates the built-in configuration when it is missing (concurrent nodes: the first insert wins and
 * the others read its keys), and applies keys set in the environment to it.
 */
export async function ensureBuiltinWebPush(db: Executor, deps: { clock: Clock; secretKey: Buffer; vapid: VapidConfig }): Promise<void> {
  const { vapid } = deps;
  const fromEnv = vapid.publicKey && vapid.privateKey ? { publicKey: vapid.publicKey, privateKey: vapid.privateKey } : undefined;
  const now = deps.clock.now();
  const existing = await findProviderRow(db, BUILTIN_WEBPUSH_ID);
  if (!existing) {
    const keys = fromEnv ?? generateVapidKeys();
    const settings = sealed({ vapid_subject: vapid.subject, vapid_public_key: keys.publicKey, vapid_private_key: keys.privateKey }, deps.secretKey);
    await insertProviderRowIfMissing(db, { id: BUILTIN_WEBPUSH_ID, provider: webPushProvider.id, name: BUILTIN_WEBPUSH_NAME, settings_json: JSON.stringify(settings), enabled: 1, created_at: now, updated_at: now });
    return;
  }
  if (!fromEnv) return;
  const stored = JSON.parse(existing.settings_json) as StoredSettings;
  if (stored.vapid_public_key === fromEnv.publicKey && stored.vapid_subject === vapid.subject) return;
  // The operator rotated the keys: devices subscribed with the old public key re-subscribe from the console.
  const settings = sealed({ vapid_subject: vapid.subject, vapid_public_key: fromEnv.publicKey, vapid_private_key: fromEnv.privateKey, ttl_seconds: stored.ttl_seconds ?? 3600 }, deps.secretKey);
  await updateProviderRow(db, BUILTIN_WEBPUSH_ID, { settings_json: JSON.stringify(settings), updated_at: now });
}
