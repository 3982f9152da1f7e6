import type { Log } from '../core/log.js';
import { AppError } from '../core/errors.js';
import { parseIsoTime } from '../core/time.js';
import { classifySnsMessage, isTrustedSnsCertUrl, isTrustedSnsSubscribeUrl, verifySnsSignature, SNS_HOST_PATTERN, type SnsMessage } from './sources/cloudwatch.js';

/** Fetches a URL's body; production uses HTTPS, tests a local stand-in (the network boundary). */
export type HttpGet = (url: string) => Promise<string>;

/** GET over the given (outbound-checked) fetch; redirects are refused, bodies capped at 64 KB. */
export function httpsGetVia(fetchImpl: typeof fetch): HttpGet {
  return async (url) => {
    const response = await fetchImpl(url, { redirect: 'error', signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
    const text = await response.text();
    if (text.length > 64 * 1024) throw new Error(`GET ${url} answered more than 64 KB`);
    return text;
  };
}

/** SNS messages older than this are refused (AWS retries deliveries for about an hour at most). */
export const SNS_MAX_AGE_MS = 60 * 60_000;
const SNS_MAX_SKEW_MS = 5 * 60_000;

export interface SnsGateOptions {
  /** When set, only messages of this topic are accepted (per integration, source option `topic_arn`). */
  readonly topicArn?: string | undefined;
}

/**
 * The AWS SNS handshake around CloudWatch alarms: verify every message's signature with a certificate
 * from a trusted SNS host, confirm subscriptions by fetching their SubscribeURL, and pass only
 * notifications on to the mapper.
 */
export function createSnsGate(deps: { get: HttpGet; log: Log; hostPattern?: RegExp | undefined; now: () => number }) {
  const hosts = deps.hostPattern ?? SNS_HOST_PATTERN;
  const certificates = new Map<string, string>();

  /** Cheap checks before any certificate is fetched: the pinned topic, and a fresh Timestamp (no replays). */
  function admissible(message: SnsMessage, options: SnsGateOptions): void {
    if (options.topicArn !== undefined && message.TopicArn !== options.topicArn) {
      throw new AppError('AccessDenied', 'TopicArn: is not the topic this integration is pinned to', 'TopicArn');
    }
    const sent = parseIsoTime(message.Timestamp);
    if (sent === undefined) throw new AppError('InvalidParameter', 'Timestamp: must be an ISO 8601 time with a zone', 'Timestamp');
    const now = deps.now();
    if (sent < now - SNS_MAX_AGE_MS) throw new AppError('InvalidParameter', 'Timestamp: is more than an hour old (a replayed message?)', 'Timestamp');
    if (sent > now + SNS_MAX_SKEW_MS) throw new AppError('InvalidParameter', 'Timestamp: is in the future', 'Timestamp');
  }

  async function verify(message: SnsMessage): Promise<void> {
    const url = message.SigningCertURL ?? '';
    if (!isTrustedSnsCertUrl(url, hosts)) throw new AppError('InvalidParameter', 'SigningCertURL: must be an https .pem URL on an SNS host', 'SigningCertURL');
    let pem = certificates.get(url);
    if (!pem) {
      pem = await deps.get(url).catch((error: Error) => {
        throw new AppError('InvalidParameter', `SigningCertURL: could not be fetched (${error.message})`, 'SigningCertURL');
      });
      if (certificates.size > 100) certificates.clear();
      certificates.set(url, pem);
    }
    if (!verifySnsSignature(message, pem)) throw new AppError('Unauthorized', 'Signature: does not verify against the SNS signing certificate');
  }

  return {
    /** Returns true when the body is a notification to map; handles confirmations itself. */
    async admit(body: unknown, options: SnsGateOptions = {}): Promise<boolean> {
      const classified = classifySnsMessage(body);
      admissible(classified.message, options);
      await verify(classified.message);
      if (classified.kind === 'notification') return true;
      if (classified.kind === 'subscription') {
        if (!isTrustedSnsSubscribeUrl(classified.subscribeUrl, hosts)) throw new AppError('InvalidParameter', 'SubscribeURL: must be an https URL on an SNS host', 'SubscribeURL');
        await deps.get(classified.subscribeUrl);
        deps.log.info({ topicArn: classified.topicArn }, 'confirmed SNS subscription');
      }
      return false;
    },
  };
}
