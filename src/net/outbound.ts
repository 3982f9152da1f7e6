/**
 * The one outbound HTTP client of the server (issue 10 item 16, ADR 0026). Every request to the
 * outside world — notification providers, vendor APIs, SNS certificates and subscription URLs — goes
 * through {@link createOutbound}: an undici dispatcher with keep-alive whose connect step resolves the
 * host, refuses it when any of its addresses lies in `TOCSIN_OUTBOUND_DENY`, and connects to the
 * address it checked (so a DNS answer cannot change between check and use). Redirects open new
 * connections through the same step, so they are checked too. SMTP resolves its host with
 * {@link Outbound.resolveHost} for the same rule.
 *
 * IP literals in any spelling (`0x7f000001`, `2130706433`, `[::ffff:127.0.0.1]`) are normalised by the
 * WHATWG URL parser before they reach the connect step, and `::` counts as `0.0.0.0`.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { buildConnector, Dispatcher } from 'undici';
import { parseIp, type IpNetwork } from '../core/ip.js';
import { isDenied, OutboundDeniedError } from './deny-list.js';
import { lightFetch, servesDirectly } from './light-fetch.js';

export { DEFAULT_OUTBOUND_DENY, isDenied, OutboundDeniedError, parseDenyList } from './deny-list.js';

export interface Outbound {
  /** `fetch` for providers and vendor calls: checked on every connection, redirects included. */
  readonly fetch: typeof fetch;
  /** Resolves a host name to one address that is allowed, or throws {@link OutboundDeniedError}. */
  resolveHost(host: string): Promise<string>;
  close(): Promise<void>;
}

/** Resolves `host` and checks every address it has: one denied address refuses the host. */
export async function resolveAllowed(deny: readonly IpNetwork[], host: string): Promise<string> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0 || parseIp(bare)) {
    if (isDenied(deny, bare)) throw new OutboundDeniedError(host, bare);
    return bare;
  }
  const addresses = await lookup(bare, { all: true, verbatim: true });
  const first = addresses[0];
  if (!first) throw new Error(`${host} has no address`);
  if (deny.length > 0) {
    const refused = addresses.find((a) => isDenied(deny, a.address));
    if (refused) throw new OutboundDeniedError(host, refused.address);
  }
  return first.address;
}

/** The fetch this process started with; a different one means something (a test) wraps it. */
const bootFetch = globalThis.fetch;
/** Marks a fetch wrapper that must see every outbound request (test/harness/peers/outbound-guard.ts). */
export const OUTBOUND_GUARD = Symbol.for('tocsin.outbound-guard');
const isGuard = (f: typeof fetch) => OUTBOUND_GUARD in f;

/** Builds the outbound client for a deny list (empty = allow all, as the tests' fake peers need). */
export async function createOutbound(deny: readonly IpNetwork[], options: { connectTimeoutMs?: number } = {}): Promise<Outbound> {
  // Loaded on first use: CLI commands that never call out do not pay for undici.
  const { Agent, buildConnector } = await import('undici');
  const direct = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 });
  const connect: buildConnector.connector = (connectOptions, callback) => {
    resolveAllowed(deny, connectOptions.hostname).then(
      // `host` keeps the name, so TLS still sends SNI and checks the certificate for it.
      (address) => direct({ ...connectOptions, hostname: address }, callback),
      (error: Error) => callback(error, null),
    );
  };
  const agent = new Agent({ connect, keepAliveTimeout: 10_000, connections: 64 });
  const dispatcher: Dispatcher = agent;
  const outboundFetch: typeof fetch = async (input, init) => {
    try {
      // The page path's calls skip fetch's machinery (light-fetch.ts) — unless fetch was replaced (a
      // test's outbound guard), which must keep seeing every request.
      if (globalThis.fetch === bootFetch && !isGuard(globalThis.fetch) && servesDirectly(input, init)) return await lightFetch(dispatcher, input as string | URL, init ?? {});
      // The global fetch (Node's undici) drives our dispatcher; looked up per call so a test's fetch guard still sees every request.
      return await globalThis.fetch(input, { ...init, dispatcher } as RequestInit);
    } catch (error) {
      // "fetch failed" says nothing; a refused destination says why (it reaches the delivery log).
      const cause = error instanceof Error ? error.cause : undefined;
      throw cause instanceof OutboundDeniedError ? cause : error;
    }
  };
  return {
    fetch: outboundFetch,
    resolveHost: (host) => resolveAllowed(deny, host),
    close: () => agent.close(),
  };
}
