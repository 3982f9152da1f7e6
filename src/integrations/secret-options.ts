import { REDACTED, seal, unsealOrPlain } from '../core/seal.js';

/**
 * Source options that are secrets (issue 10 item 7): stored sealed, shown as `••••••`, kept out of
 * the audit log, and kept unchanged when an update sends `••••••` back.
 */
export const SECRET_SOURCE_OPTIONS: readonly string[] = ['hmac_secret'];

type Options = Readonly<Record<string, unknown>>;

function mapSecrets(options: Options, change: (value: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...options };
  for (const name of SECRET_SOURCE_OPTIONS) {
    const value = out[name];
    if (typeof value === 'string' && value !== '') out[name] = change(value);
  }
  return out;
}

/** For storage: every present secret sealed under `key`. */
export function sealSourceOptions(key: Buffer, options: Options): Record<string, unknown> {
  return mapSecrets(options, (value) => seal(key, value));
}

/** For use (signature checks, validation): every secret opened. */
export function openSourceOptions(key: Buffer, options: Options): Record<string, unknown> {
  return mapSecrets(options, (value) => unsealOrPlain(key, value));
}

/** For responses and the audit log: every present secret replaced by `••••••`. */
export function maskSourceOptions(options: Options): Record<string, unknown> {
  return mapSecrets(options, () => REDACTED);
}

/** An update's options with `••••••` replaced by the stored (opened) secret it stands for. */
export function keepUnchangedSecrets(incoming: Options, stored: Options): Record<string, unknown> {
  const out: Record<string, unknown> = { ...incoming };
  for (const name of SECRET_SOURCE_OPTIONS) {
    if (out[name] === REDACTED) {
      if (typeof stored[name] === 'string') out[name] = stored[name];
      else delete out[name];
    }
  }
  return out;
}
