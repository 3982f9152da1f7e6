import argon2 from 'argon2';
import { AppError } from '../core/errors.js';
import { Semaphore, SemaphoreFullError } from '../core/semaphore.js';

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): strong against GPUs, ~25 ms on one core.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// Two of libuv's four threads at most (UV_THREADPOOL_SIZE): the others stay free for DNS and files.
export const PASSWORD_HASHING = new Semaphore(2, 256);

async function bounded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await PASSWORD_HASHING.run(work);
  } catch (error) {
    if (error instanceof SemaphoreFullError) throw new AppError('RequestTooFrequently', 'too many sign-ins at once; try again in a second', undefined, 1);
    throw error;
  }
}

/** argon2id hash in PHC string form (salt and parameters included). */
export function hashPassword(password: string): Promise<string> {
  return bounded(() => argon2.hash(password, OPTIONS));
}

/** Checks a password against its PHC hash; false for any malformed hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  return bounded(async () => {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  });
}

// Verifying against this when the email is unknown makes "no such user" take as long as "wrong password".
let decoyHash: Promise<string> | undefined;
export function decoyVerify(password: string): Promise<boolean> {
  decoyHash ??= hashPassword('decoy password that matches nothing');
  return decoyHash.then((hash) => verifyPassword(hash, password)).then(() => false);
}
