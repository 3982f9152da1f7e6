import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'tocsin-config-'));

describe('loadConfig', () => {
  it('defaults to port 8080 on all interfaces with SQLite in the data directory', () => {
    const dir = dataDir();
    const config = loadConfig({ TOCSIN_DATA_DIR: dir });
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', dataDir: dir, databaseUrl: undefined, publicUrl: 'http://localhost:8080', logLevel: 'info', devMode: false });
  });

  it('generates a secret key into the data directory once and reuses it', () => {
    const dir = dataDir();
    const first = loadConfig({ TOCSIN_DATA_DIR: dir }).secretKey;
    expect(first).toHaveLength(32);
    expect(readFileSync(join(dir, 'secret.key'), 'utf8').trim()).toBe(first.toString('hex'));
    expect(loadConfig({ TOCSIN_DATA_DIR: dir }).secretKey.equals(first)).toBe(true);
  });

  it('lists every bad value at once, naming the variable and the rule', () => {
    let error: unknown;
    try {
      loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_PORT: 'eighty', TOCSIN_DATABASE_URL: 'mysql://x', TOCSIN_LOG_LEVEL: 'loud', TOCSIN_SECRET_KEY: 'short', TOCSIN_PUBLIC_URL: 'ftp://x', TOCSIN_DEV_MODE: 'maybe' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['TOCSIN_PORT', 'TOCSIN_DATABASE_URL', 'TOCSIN_LOG_LEVEL', 'TOCSIN_SECRET_KEY', 'TOCSIN_PUBLIC_URL', 'TOCSIN_DEV_MODE']) expect(problems).toContain(name);
    expect(problems).toContain('must be an integer from 0 to 65535, got "eighty"');
  });

  it('reads an optional JSON file under the environment', () => {
    const dir = dataDir();
    const file = join(dir, 'tocsin.json');
    writeFileSync(file, JSON.stringify({ TOCSIN_PORT: 9000, TOCSIN_LOG_LEVEL: 'debug' }));
    const config = loadConfig({ TOCSIN_DATA_DIR: dir, TOCSIN_CONFIG_FILE: file, TOCSIN_LOG_LEVEL: 'warn' });
    expect(config.port).toBe(9000);
    expect(config.logLevel).toBe('warn');
  });

  it('accepts PostgreSQL URLs and a given secret key', () => {
    const key = 'ab'.repeat(32);
    const config = loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_DATABASE_URL: 'postgres://u@db/tocsin', TOCSIN_SECRET_KEY: key });
    expect(config.databaseUrl).toBe('postgres://u@db/tocsin');
    expect(config.secretKey.toString('hex')).toBe(key);
  });

  it('requires TOCSIN_SECRET_KEY with PostgreSQL, naming the variable, and writes no per-node key', () => {
    const dir = dataDir();
    let problems: readonly string[] = [];
    try {
      loadConfig({ TOCSIN_DATA_DIR: dir, TOCSIN_DATABASE_URL: 'postgres://u@db/tocsin' });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([expect.stringMatching(/^TOCSIN_SECRET_KEY: is required with TOCSIN_DATABASE_URL/)]);
    expect(() => readFileSync(join(dir, 'secret.key'), 'utf8')).toThrow();
  });

  it('reads an optional metrics token and refuses a short one', () => {
    expect(loadConfig({ TOCSIN_DATA_DIR: dataDir() }).metricsToken).toBeUndefined();
    expect(loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_METRICS_TOKEN: 'scrape-token-0123456789' }).metricsToken).toBe('scrape-token-0123456789');
    expect(() => loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_METRICS_TOKEN: 'short' })).toThrow(/TOCSIN_METRICS_TOKEN/);
  });
});

describe('loadConfig: outbound, proxies and SNS hosts (issue 10 items 14, 16, 25)', () => {
  it('denies loopback, link-local and 0.0.0.0/8 outbound by default; an empty value allows all', () => {
    expect(loadConfig({ TOCSIN_DATA_DIR: dataDir() }).outboundDeny.map((n) => n.prefix)).toEqual([8, 128, 16, 10, 8]);
    expect(loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_OUTBOUND_DENY: '' }).outboundDeny).toEqual([]);
    expect(() => loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_OUTBOUND_DENY: '10.0.0.0/8,evil' })).toThrow('TOCSIN_OUTBOUND_DENY: evil is not a CIDR network');
  });

  it('trusts no proxy unless TOCSIN_TRUSTED_PROXIES names it', () => {
    expect(loadConfig({ TOCSIN_DATA_DIR: dataDir() }).trustedProxies).toEqual([]);
    expect(loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.1' }).trustedProxies).toEqual(['10.0.0.0/8', '192.168.1.1']);
    expect(() => loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_TRUSTED_PROXIES: 'proxy.local' })).toThrow('TOCSIN_TRUSTED_PROXIES: proxy.local is not an address or CIDR network');
  });

  it('anchors TOCSIN_SNS_HOST_PATTERN: a host that merely contains it is not trusted', () => {
    const pattern = loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_SNS_HOST_PATTERN: 'sns\\.example\\.com' }).snsHostPattern;
    expect(pattern?.test('sns.example.com')).toBe(true);
    expect(pattern?.test('sns.example.com.attacker.net')).toBe(false);
    expect(pattern?.test('evil-sns.example.com')).toBe(false);
  });

  it('takes Web Push VAPID keys from TOCSIN_VAPID_* only as a matching pair, with a contact push services accept', async () => {
    const { generateVapidKeys } = await import('../notify/providers/webpush/index.js');
    const pair = generateVapidKeys();
    const other = generateVapidKeys();
    expect(loadConfig({ TOCSIN_DATA_DIR: dataDir() }).vapid).toEqual({ publicKey: undefined, privateKey: undefined, subject: 'mailto:oncall-admin@localhost' });
    expect(loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_PUBLIC_URL: 'https://oncall.example.com' }).vapid.subject).toBe('https://oncall.example.com');
    expect(loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_VAPID_PUBLIC_KEY: pair.publicKey, TOCSIN_VAPID_PRIVATE_KEY: pair.privateKey, TOCSIN_VAPID_SUBJECT: 'mailto:sre@example.com' }).vapid).toEqual({
      publicKey: pair.publicKey,
      privateKey: pair.privateKey,
      subject: 'mailto:sre@example.com',
    });
    expect(() => loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_VAPID_PUBLIC_KEY: pair.publicKey, TOCSIN_VAPID_PRIVATE_KEY: other.privateKey })).toThrow(/TOCSIN_VAPID_PRIVATE_KEY: is not the private key of TOCSIN_VAPID_PUBLIC_KEY/);
    expect(() => loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_VAPID_PUBLIC_KEY: pair.publicKey })).toThrow(/set TOCSIN_VAPID_PUBLIC_KEY and TOCSIN_VAPID_PRIVATE_KEY together/);
    expect(() => loadConfig({ TOCSIN_DATA_DIR: dataDir(), TOCSIN_VAPID_SUBJECT: 'oncall@example.com' })).toThrow(/TOCSIN_VAPID_SUBJECT: must be mailto:/);
  });
});
