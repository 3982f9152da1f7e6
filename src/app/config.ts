import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createECDH, randomBytes } from 'node:crypto';
import { isTimeZone } from '../core/validate.js';
import { parseCidr, type IpNetwork } from '../core/ip.js';
import { DEFAULT_OUTBOUND_DENY, parseDenyList } from '../net/deny-list.js';

/** Everything Tocsin reads from its environment, validated once at start-up. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly publicUrl: string;
  /** 32 bytes; encrypts stored provider secrets. */
  readonly secretKey: Buffer;
  readonly logLevel: LogLevel;
  readonly defaultTimeZone: string;
  readonly sessionTtlHours: number;
  readonly devMode: boolean;
  /** Directory of the built console (web/dist). */
  readonly webDir: string;
  /** Hosts trusted for AWS SNS certificates and subscription URLs (default: sns.<region>.amazonaws.com). */
  readonly snsHostPattern: RegExp | undefined;
  /** Port of the SMTP listener for email integrations; undefined = off. */
  readonly smtpPort: number | undefined;
  readonly smtpHost: string;
  /** Domain of email integration addresses (`<prefix>@<domain>`). */
  readonly inboundEmailDomain: string;
  /** Days raw payloads and the delivery log are kept. */
  readonly retention: { readonly rawEvents: number; readonly deliveryLog: number };
  /** PostgreSQL: how long to wait for a new connection. */
  readonly dbConnectTimeoutMs: number;
  /** PostgreSQL: how long one statement may run before its connection is dropped. */
  readonly dbQueryTimeoutMs: number;
  /** How long the engine's claim on a job or an outbox row lasts before another node may take it (renewed while it runs). */
  readonly engineLeaseMs: number;
  /** Networks outbound requests may not reach (checked after DNS resolution); empty = allow all. */
  readonly outboundDeny: readonly IpNetwork[];
  /** Proxies (addresses or CIDR networks) whose X-Forwarded-For is believed; empty = none. */
  readonly trustedProxies: readonly string[];
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  readonly metricsToken: string | undefined;
  /** Web Push (app push) VAPID keys from the environment; without them the built-in provider generates a pair once. */
  readonly vapid: { readonly publicKey: string | undefined; readonly privateKey: string | undefined; readonly subject: string };
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** One documented variable; the README's configuration table is this list. */
interface Variable {
  readonly name: string;
  readonly description: string;
  readonly default?: string;
}

export const CONFIG_VARIABLES: readonly Variable[] = [
  { name: 'TOCSIN_PORT', description: 'HTTP port', default: '8080' },
  { name: 'TOCSIN_HOST', description: 'interface to listen on', default: '0.0.0.0' },
  { name: 'TOCSIN_DATA_DIR', description: 'SQLite file and generated secrets', default: './data' },
  { name: 'TOCSIN_DATABASE_URL', description: 'postgres://... switches from SQLite to PostgreSQL' },
  { name: 'TOCSIN_PUBLIC_URL', description: 'base URL used in links', default: 'http://localhost:<port>' },
  { name: 'TOCSIN_SECRET_KEY', description: '64 hex chars; encrypts stored secrets; required with TOCSIN_DATABASE_URL (every node must share it)', default: 'generated into the data directory (SQLite only)' },
  { name: 'TOCSIN_LOG_LEVEL', description: 'fatal|error|warn|info|debug|trace|silent', default: 'info' },
  { name: 'TOCSIN_TIME_ZONE', description: "the organisation's default IANA time zone", default: 'UTC' },
  { name: 'TOCSIN_SESSION_TTL_HOURS', description: 'console session lifetime', default: '336' },
  { name: 'TOCSIN_DEV_MODE', description: 'true shows verification codes to admins (never in production)', default: 'false' },
  { name: 'TOCSIN_WEB_DIR', description: 'directory of the built console', default: 'web/dist in the checkout' },
  { name: 'TOCSIN_SNS_HOST_PATTERN', description: 'regular expression of hosts trusted for AWS SNS certificates', default: 'sns.<region>.amazonaws.com' },
  { name: 'TOCSIN_SMTP_PORT', description: 'port of the SMTP listener for email integrations (2525 is customary); unset = off' },
  { name: 'TOCSIN_SMTP_HOST', description: 'interface of the SMTP listener', default: 'TOCSIN_HOST' },
  { name: 'TOCSIN_INBOUND_EMAIL_DOMAIN', description: 'domain of email integration addresses', default: 'the host name of TOCSIN_PUBLIC_URL' },
  { name: 'TOCSIN_RAW_EVENT_RETENTION_DAYS', description: 'days raw payloads stay on integration cards', default: '7' },
  { name: 'TOCSIN_DELIVERY_LOG_RETENTION_DAYS', description: 'days the notification delivery log is kept', default: '30' },
  { name: 'TOCSIN_DB_CONNECT_TIMEOUT_MS', description: 'PostgreSQL: milliseconds to wait for a new connection before answering 503', default: '5000' },
  { name: 'TOCSIN_DB_QUERY_TIMEOUT_MS', description: 'PostgreSQL: milliseconds one statement may take before its connection is dropped and the request answered 503', default: '10000' },
  { name: 'TOCSIN_ENGINE_LEASE_MS', description: "milliseconds a node's claim on a job or notification lasts; renewed while it runs, taken over by another node after a crash", default: '60000' },
  { name: 'TOCSIN_OUTBOUND_DENY', description: 'CIDR list outbound requests may not reach, checked after DNS on every request and redirect; empty = allow all', default: DEFAULT_OUTBOUND_DENY },
  { name: 'TOCSIN_TRUSTED_PROXIES', description: 'addresses or CIDR networks of reverse proxies whose X-Forwarded-For is believed', default: 'none' },
  { name: 'TOCSIN_METRICS_TOKEN', description: 'when set, GET /metrics requires Authorization: Bearer <token> (16–256 characters)' },
  { name: 'TOCSIN_VAPID_PUBLIC_KEY', description: 'Web Push (app push) VAPID public key, base64url (`npx web-push generate-vapid-keys`); set with TOCSIN_VAPID_PRIVATE_KEY', default: 'a pair generated once and stored sealed in the database' },
  { name: 'TOCSIN_VAPID_PRIVATE_KEY', description: 'Web Push VAPID private key, base64url; must be the public key’s pair' },
  { name: 'TOCSIN_VAPID_SUBJECT', description: 'contact push services may use about problems: mailto:… or https://…', default: 'TOCSIN_PUBLIC_URL when https, else mailto:oncall-admin@<inbound email domain>' },
  { name: 'TOCSIN_CONFIG_FILE', description: 'optional JSON file of the same variables; the environment wins' },
];

/** Raised with every bad value listed, so an operator fixes them all in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Source = Readonly<Record<string, string | undefined>>;

/** Merges the optional config file under the environment (environment wins). */
function readSource(env: Source, problems: string[]): Source {
  const file = env.TOCSIN_CONFIG_FILE;
  if (!file) return env;
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      problems.push(`TOCSIN_CONFIG_FILE: ${file} must hold a JSON object of TOCSIN_* variables`);
      return env;
    }
    const fromFile: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (!key.startsWith('TOCSIN_')) problems.push(`TOCSIN_CONFIG_FILE: unknown key ${key}`);
      else fromFile[key] = String(value);
    }
    return { ...fromFile, ...env };
  } catch (error) {
    problems.push(`TOCSIN_CONFIG_FILE: cannot read ${file}: ${(error as Error).message}`);
    return env;
  }
}

function parseInteger(source: Source, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = source[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name}: must be an integer from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

function parseBoolean(source: Source, name: string, problems: string[]): boolean {
  const raw = (source[name] ?? '').toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0' || raw === 'no') return false;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  problems.push(`${name}: must be true or false, got "${source[name]}"`);
  return false;
}

/** Reads the secret key from the environment, or from (or into) `<dataDir>/secret.key`. */
function loadSecretKey(raw: string | undefined, dataDir: string, problems: string[]): Buffer {
  if (raw) {
    if (!/^[0-9a-fA-F]{64}$/.test(raw)) {
      problems.push('TOCSIN_SECRET_KEY: must be 64 hexadecimal characters (32 bytes); try `openssl rand -hex 32`');
      return Buffer.alloc(32);
    }
    return Buffer.from(raw, 'hex');
  }
  const file = join(dataDir, 'secret.key');
  try {
    mkdirSync(dataDir, { recursive: true });
    if (!existsSync(file)) {
      writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    const stored = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-fA-F]{64}$/.test(stored)) problems.push(`TOCSIN_SECRET_KEY: ${file} is corrupt (expected 64 hex characters)`);
    return Buffer.from(stored, 'hex');
  } catch (error) {
    problems.push(`TOCSIN_DATA_DIR: cannot write ${file}: ${(error as Error).message}`);
    return Buffer.alloc(32);
  }
}

const VAPID_SUBJECT = /^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/;

/** `TOCSIN_VAPID_*`: both keys or neither, a real pair, and a contact push services accept. */
function loadVapid(source: Source, publicUrl: string, inboundEmailDomain: string, problems: string[]): Config['vapid'] {
  const publicKey = source.TOCSIN_VAPID_PUBLIC_KEY || undefined;
  const privateKey = source.TOCSIN_VAPID_PRIVATE_KEY || undefined;
  const subject = source.TOCSIN_VAPID_SUBJECT || (publicUrl.startsWith('https://') ? publicUrl : `mailto:oncall-admin@${inboundEmailDomain}`);
  if (!VAPID_SUBJECT.test(subject)) problems.push(`TOCSIN_VAPID_SUBJECT: must be mailto:<address> or an https:// URL, got "${subject}"`);
  if ((publicKey === undefined) !== (privateKey === undefined)) {
    problems.push('TOCSIN_VAPID_PUBLIC_KEY: set TOCSIN_VAPID_PUBLIC_KEY and TOCSIN_VAPID_PRIVATE_KEY together (or neither, to use generated keys)');
  } else if (publicKey !== undefined && privateKey !== undefined) {
    let derived = '';
    try {
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
      derived = ecdh.getPublicKey().toString('base64url');
    } catch {
      derived = '';
    }
    if (derived !== publicKey) problems.push('TOCSIN_VAPID_PRIVATE_KEY: is not the private key of TOCSIN_VAPID_PUBLIC_KEY (both base64url, as `npx web-push generate-vapid-keys` prints them)');
  }
  return { publicKey, privateKey, subject };
}

/** Validates the environment and returns the configuration, or throws a ConfigError listing every problem. */
export function loadConfig(env: Source = process.env, defaults: { webDir: string } = { webDir: resolve('web/dist') }): Config {
  const problems: string[] = [];
  const source = readSource(env, problems);

  const port = parseInteger(source, 'TOCSIN_PORT', 8080, 0, 65535, problems);
  const host = source.TOCSIN_HOST || '0.0.0.0';
  const dataDir = resolve(source.TOCSIN_DATA_DIR || './data');

  const databaseUrl = source.TOCSIN_DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('TOCSIN_DATABASE_URL: must start with postgres:// (leave it unset for the embedded SQLite database)');
  }

  const publicUrl = (source.TOCSIN_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    const parsed = new URL(publicUrl);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
  } catch {
    problems.push(`TOCSIN_PUBLIC_URL: must be an http(s) URL such as https://oncall.example.com, got "${publicUrl}"`);
  }

  const rawLevel = (source.TOCSIN_LOG_LEVEL || 'info').toLowerCase();
  const logLevel = LOG_LEVELS.find((level) => level === rawLevel);
  if (!logLevel) problems.push(`TOCSIN_LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}, got "${rawLevel}"`);

  const defaultTimeZone = source.TOCSIN_TIME_ZONE || 'UTC';
  if (!isTimeZone(defaultTimeZone)) problems.push(`TOCSIN_TIME_ZONE: unknown IANA time zone "${defaultTimeZone}"`);

  const sessionTtlHours = parseInteger(source, 'TOCSIN_SESSION_TTL_HOURS', 336, 1, 24 * 365, problems);
  const devMode = parseBoolean(source, 'TOCSIN_DEV_MODE', problems);
  // Every PostgreSQL node must read what the others sealed: a key generated per node cannot.
  if (databaseUrl && !source.TOCSIN_SECRET_KEY) {
    problems.push('TOCSIN_SECRET_KEY: is required with TOCSIN_DATABASE_URL (every node must use the same key); generate one with `openssl rand -hex 32`');
  }
  const secretKey = databaseUrl && !source.TOCSIN_SECRET_KEY ? Buffer.alloc(32) : loadSecretKey(source.TOCSIN_SECRET_KEY, dataDir, problems);

  const metricsToken = source.TOCSIN_METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,256}$/.test(metricsToken)) {
    problems.push('TOCSIN_METRICS_TOKEN: must be 16–256 printable characters without spaces');
  }

  let snsHostPattern: RegExp | undefined;
  if (source.TOCSIN_SNS_HOST_PATTERN) {
    try {
      // Anchored: a host that merely contains the pattern is not trusted.
      snsHostPattern = new RegExp(`^(?:${source.TOCSIN_SNS_HOST_PATTERN})$`);
    } catch {
      problems.push(`TOCSIN_SNS_HOST_PATTERN: is not a valid regular expression`);
    }
  }

  const smtpPort = source.TOCSIN_SMTP_PORT ? parseInteger(source, 'TOCSIN_SMTP_PORT', 2525, 0, 65535, problems) : undefined;
  let inboundEmailDomain = source.TOCSIN_INBOUND_EMAIL_DOMAIN ?? '';
  if (!inboundEmailDomain) {
    try {
      inboundEmailDomain = new URL(publicUrl).hostname;
    } catch {
      inboundEmailDomain = 'localhost';
    }
  }
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(inboundEmailDomain)) problems.push(`TOCSIN_INBOUND_EMAIL_DOMAIN: must be a domain name, got "${inboundEmailDomain}"`);

  const retention = {
    rawEvents: parseInteger(source, 'TOCSIN_RAW_EVENT_RETENTION_DAYS', 7, 1, 3650, problems),
    deliveryLog: parseInteger(source, 'TOCSIN_DELIVERY_LOG_RETENTION_DAYS', 30, 1, 3650, problems),
  };

  const dbConnectTimeoutMs = parseInteger(source, 'TOCSIN_DB_CONNECT_TIMEOUT_MS', 5000, 100, 600_000, problems);
  const dbQueryTimeoutMs = parseInteger(source, 'TOCSIN_DB_QUERY_TIMEOUT_MS', 10_000, 100, 3_600_000, problems);
  const engineLeaseMs = parseInteger(source, 'TOCSIN_ENGINE_LEASE_MS', 60_000, 300, 3_600_000, problems);
  const deny = parseDenyList(source.TOCSIN_OUTBOUND_DENY ?? DEFAULT_OUTBOUND_DENY);
  if (!deny.ok) problems.push(`TOCSIN_OUTBOUND_DENY: ${deny.error}`);
  const trustedProxies = (source.TOCSIN_TRUSTED_PROXIES ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const proxy of trustedProxies) if (!parseCidr(proxy)) problems.push(`TOCSIN_TRUSTED_PROXIES: ${proxy} is not an address or CIDR network`);

  const vapid = loadVapid(source, publicUrl, inboundEmailDomain.toLowerCase(), problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    vapid,
    outboundDeny: deny.ok ? deny.value : [],
    trustedProxies,
    port,
    host,
    dataDir,
    databaseUrl,
    publicUrl,
    secretKey,
    logLevel: logLevel ?? 'info',
    defaultTimeZone,
    sessionTtlHours,
    devMode,
    webDir: source.TOCSIN_WEB_DIR ? resolve(source.TOCSIN_WEB_DIR) : defaults.webDir,
    snsHostPattern,
    smtpPort,
    smtpHost: source.TOCSIN_SMTP_HOST || host,
    inboundEmailDomain: inboundEmailDomain.toLowerCase(),
    retention,
    dbConnectTimeoutMs,
    dbQueryTimeoutMs,
    engineLeaseMs,
    metricsToken,
  };
}
