/**
 * TOCSIN_OUTBOUND_DENY: parsing and checking the deny list (ADR 0026). Kept apart from the HTTP client
 * (outbound.ts) so configuration loading does not pull in undici.
 */
import { parseCidr, parseIp, type IpNetwork } from '../core/ip.js';

/** The default of TOCSIN_OUTBOUND_DENY: loopback, link-local (cloud metadata) and "this host". */
export const DEFAULT_OUTBOUND_DENY = '127.0.0.0/8,::1/128,169.254.0.0/16,fe80::/10,0.0.0.0/8';

/** Thrown (and reported by providers as a failed delivery) when a destination is refused. */
export class OutboundDeniedError extends Error {
  readonly code = 'EOUTBOUNDDENIED';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`outbound request to ${host} (${address}) refused by TOCSIN_OUTBOUND_DENY`);
    this.name = 'OutboundDeniedError';
  }
}

/** Parses a comma-separated CIDR list; an empty text allows everything. */
export function parseDenyList(text: string): { ok: true; value: IpNetwork[] } | { ok: false; error: string } {
  const networks: IpNetwork[] = [];
  for (const item of text.split(',')) {
    const trimmed = item.trim();
    if (trimmed === '') continue;
    const network = parseCidr(trimmed);
    if (!network) return { ok: false, error: `${trimmed} is not a CIDR network such as 10.0.0.0/8 or fe80::/10` };
    networks.push(network);
  }
  return { ok: true, value: networks };
}

/** True when `address` (an IP literal, brackets allowed) lies in one of the denied networks. */
export function isDenied(deny: readonly IpNetwork[], address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const parsed = parseIp(bare);
  // An address we cannot read is refused rather than guessed at.
  if (!parsed) return deny.length > 0;
  // `::` reaches this host like 0.0.0.0 does.
  const ip = !parsed.v4 && parsed.value === 0n ? { v4: true, value: 0n } : parsed;
  return deny.some((network) => {
    if (network.v4 !== ip.v4) return false;
    const shift = BigInt((network.v4 ? 32 : 128) - network.prefix);
    return ip.value >> shift === network.value >> shift;
  });
}
