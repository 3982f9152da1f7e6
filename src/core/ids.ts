import { randomBytes } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

// One large random read serves many ids: the per-call cost of randomBytes showed in ingest profiles.
const POOL_SIZE = 16 * 256;
let pool = Buffer.alloc(0);
let poolOffset = POOL_SIZE;

function random16(): Buffer {
  if (poolOffset + 16 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
  poolOffset += 16;
  return bytes;
}

/**
 * A UUIDv7 (RFC 9562): 48-bit millisecond timestamp, a 12-bit sequence, then random bits. Ids sort by
 * creation order within this process even when many share a millisecond (or a test's frozen clock),
 * so keyset pagination over `id` is chronological.
 */
export function newId(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    // Start low in the sequence space so a burst within one millisecond rarely overflows it.
    sequence = randomBytes(1)[0] ?? 0;
  } else {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
  }
  const bytes = random16();
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A URL-safe random secret of `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A random decimal code of `digits` digits (for verification codes). */
export function randomDigits(digits: number): string {
  const max = 10 ** digits;
  const value = randomBytes(6).readUIntBE(0, 6) % max;
  return value.toString().padStart(digits, '0');
}
