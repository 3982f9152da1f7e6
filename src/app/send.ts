import { randomBytes } from 'node:crypto';

const STATUSES = ['Critical', 'Warning', 'Info', 'Ok'] as const;
export type SendStatus = (typeof STATUSES)[number];

export interface SendOptions {
  /** Base URL of the running Tocsin, e.g. http://localhost:8080. */
  readonly baseUrl: string;
  readonly integrationKey: string;
  readonly severity?: string | undefined;
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  /** Reuse to recover (`--severity Ok`) or update an alert sent earlier. */
  readonly alertKey?: string | undefined;
}

/** What `tocsin send` prints: the alert key to reuse for an `Ok`, and the server's request id. */
export interface SendResult {
  readonly alertKey: string;
  readonly requestId: string;
}

/** Case-insensitive severity (critical → Critical); undefined when it is not one of the four. */
export function parseSendStatus(text: string | undefined): SendStatus | undefined {
  if (text === undefined) return 'Warning';
  return STATUSES.find((status) => status.toLowerCase() === text.toLowerCase());
}

/**
 * Fires one standard event at an integration of a running Tocsin over HTTP — the same path a
 * monitoring tool takes, so a success proves the integration key, routing and rules work.
 */
export async function sendTestEvent(options: SendOptions, fetchImpl: typeof fetch = fetch): Promise<SendResult> {
  const status = parseSendStatus(options.severity);
  if (!status) throw new Error(`--severity must be one of ${STATUSES.join(', ')} (got "${options.severity ?? ''}")`);
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(options.integrationKey)) throw new Error('--integration-key must be the key shown on the integration (letters and digits)');
  const alertKey = options.alertKey ?? `tocsin-send-${randomBytes(4).toString('hex')}`;
  const url = new URL('/event/push/alert/standard', options.baseUrl);
  url.searchParams.set('integration_key', options.integrationKey);
  const body = {
    title_rule: options.title ?? 'Test alert from tocsin send',
    event_status: status,
    alert_key: alertKey,
    description: options.description ?? 'Sent with `tocsin send` to check that this integration, its routing and escalation work.',
    labels: { source: 'tocsin-send' },
  };
  let response: Response;
  try {
    response = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(`could not reach Tocsin at ${options.baseUrl} (${error instanceof Error ? error.message : String(error)}); is it running? Set --url or TOCSIN_PUBLIC_URL`);
  }
  const text = await response.text();
  if (!response.ok) {
    let reason = text;
    try {
      const parsed = JSON.parse(text) as { error?: { message?: string } };
      reason = parsed.error?.message ?? text;
    } catch {
      // Not JSON: show the text as it came.
    }
    throw new Error(`Tocsin answered ${response.status}: ${reason}`);
  }
  const parsed = JSON.parse(text) as { request_id?: string; data?: { alert_key?: string | null } };
  return { alertKey: parsed.data?.alert_key ?? alertKey, requestId: parsed.request_id ?? '' };
}
