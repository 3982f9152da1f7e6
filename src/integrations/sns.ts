import type { Log } from '../core/log.js';
import { AppError } from '../core/errors.js';
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

/**
 * The AWS SNS handshake around CloudWatch alarms: verify every message's signature with a certificate
 * from a trusted SNS host, confirm subscriptions by fetching their SubscribeURL, and pass only
 * notifications on to the mapper.
 */
export function createSnsGate(deps: { get: HttpGet; log: Log; hostPattern?: RegExp | undefined }) {
  const hosts = deps.hostPattern ?? SNS_HOST_PATTERN;
  const certificates = new Map<string, string>();

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
    async admit(body: unknown): Promise<boolean> {
      const classified = classifySnsMessage(body);
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
