import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 of a secret as hex; secrets are stored only in this form. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Still spend the comparison so the length check is not a fast path an attacker can time.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
