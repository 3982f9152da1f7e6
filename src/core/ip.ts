/**
 * The one IP address parser of the server: IPv4 dotted quads and IPv6 (IPv4-mapped IPv6 counts as
 * IPv4), CIDR networks, membership. Used by the filter language (`cidr:` values), the outbound deny
 * list and trusted proxies. Pure; no Node imports, so the console can share it.
 */

/** An address as an integer; `v4` addresses have 32 bits, others 128. */
export interface IpAddress {
  readonly v4: boolean;
  readonly value: bigint;
}

export interface IpNetwork extends IpAddress {
  readonly prefix: number;
}

/** Parses `a.b.c.d/n` or `v6/n` (no prefix = a single host); host bits are masked off. */
export function parseCidr(text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  const addr = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!addr) return undefined;
  const bits = addr.v4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > bits) return undefined;
    prefix = Number(p);
  }
  const shift = BigInt(bits - prefix);
  return { v4: addr.v4, prefix, value: (addr.value >> shift) << shift };
}

/** True when `text` (an address, optionally with a port) lies in `network`. */
export function inNetwork(network: IpNetwork, text: string): boolean {
  const host = stripPort(text);
  if (network.v4) {
    const n = ipv4Number(host);
    if (n !== undefined) {
      const size = 2 ** (32 - network.prefix);
      return Math.floor(n / size) === Math.floor(Number(network.value) / size);
    }
  }
  const addr = parseIp(host);
  if (!addr || addr.v4 !== network.v4) return false;
  const shift = BigInt((network.v4 ? 32 : 128) - network.prefix);
  return addr.value >> shift === network.value >> shift;
}

function stripPort(text: string): string {
  const t = text.trim();
  if (!t.includes(':')) return t;
  const bracket = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(t);
  if (bracket) return bracket[1] ?? '';
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(t);
  return v4port ? (v4port[1] ?? '') : t;
}

/** Parses a canonical-ish IPv4 (no leading zeros) or IPv6 address; IPv4-mapped IPv6 becomes IPv4. */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { v4: true, value: v4 };
  const v6 = parseIPv6(text);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { v4: true, value: v6 & 0xffffffffn };
  return { v4: false, value: v6 };
}

function parseIPv4(text: string): bigint | undefined {
  const n = ipv4Number(text);
  return n === undefined ? undefined : BigInt(n);
}

/** Hand-rolled dotted-quad scan: this runs per event for every cidr value, so no regex, no BigInt. */
function ipv4Number(text: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i <= text.length; i += 1) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return undefined; // leading zero
      part = part * 10 + (c - 48);
      digits += 1;
      if (part > 255) return undefined;
    } else if (c === 46 && digits > 0) {
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots += 1;
    } else {
      return undefined;
    }
  }
  return dots === 4 ? value : undefined;
}

function parseIPv6(input: string): bigint | undefined {
  const text = input.includes('%') ? input.slice(0, input.indexOf('%')) : input;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  // An embedded IPv4 may only end the address (::ffff:1.2.3.4), never precede `::`.
  const head = groupsOf(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '', true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<number>(missing).fill(0), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

function groupsOf(text: string, mayEndWithV4: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const out: number[] = [];
  for (const [i, part] of parts.entries()) {
    if (mayEndWithV4 && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIPv4(part);
      if (v4 === undefined) return undefined;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      out.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return out;
}
