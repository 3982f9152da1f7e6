import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption (AES-256-GCM) for secrets that must be shown or used again later
 * (integration keys, provider tokens). Format: `v1.<iv>.<tag>.<ciphertext>`, base64url parts.
 */
export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** Decrypts a value made by `seal`; throws when it was tampered with or sealed under another key. */
export function unseal(key: Buffer, sealed: string): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

/** What the API shows in place of a stored secret; sending it back on an update means "unchanged". */
export const REDACTED = '••••••';

const SEALED = /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** True for a value made by `seal` (secrets saved before they were sealed are still plain text). */
export function isSealed(value: string): boolean {
  return SEALED.test(value);
}

/** Opens a sealed value; a legacy plain-text value (stored before sealing) is returned as it is. */
export function unsealOrPlain(key: Buffer, value: string): string {
  return isSealed(value) ? unseal(key, value) : value;
}
