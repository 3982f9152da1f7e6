/**
 * Fails a test that tries to reach anything but loopback over HTTP (DESIGN §7: "outbound HTTP to any
 * other host fails the test").
 *
 * `guardOutbound()` — call once at the top of a test file — replaces `globalThis.fetch` with a wrapper
 * that throws `OutboundBlockedError` for non-loopback URLs and records the attempt; after each test
 * any recorded attempt fails that test, even when the code under test caught the error (a provider
 * turns a network error into `retry`, which would otherwise hide it).
 *
 * Limitation: this covers `fetch` only (what every HTTP provider uses through `SendContext.fetch`).
 * nodemailer opens sockets with `net`/`tls`, which are not intercepted — SMTP settings in tests only
 * ever name 127.0.0.1. Patching `net.connect` globally would also catch the test databases (PostgreSQL
 * may legitimately live on another host), so it is left alone.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';

export class OutboundBlockedError extends Error {
  constructor(readonly target: string) {
    super(`outbound request to ${target} blocked: tests may only reach 127.0.0.1/localhost`);
    this.name = 'OutboundBlockedError';
  }
}

/** Whether `url` points at this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function targetOf(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

export interface OutboundGuard {
  /** URLs that were blocked since the last `takeViolations()`. */
  readonly violations: string[];
  /** Returns and clears the recorded violations. */
  takeViolations(): string[];
  /** Puts the original fetch back. */
  restore(): void;
}

/** Installs the fetch guard now (for use outside vitest hooks); prefer `guardOutbound()` in test files. */
export function installOutboundGuard(): OutboundGuard {
  const original = globalThis.fetch;
  const violations: string[] = [];
  const guarded: typeof fetch = (input, init) => {
    const target = targetOf(input);
    if (!isLoopbackUrl(target)) {
      violations.push(target);
      return Promise.reject(new OutboundBlockedError(target));
    }
    return original(input, init);
  };
  // The server's outbound client only takes its fast path (no fetch) when no guard is installed.
  Object.defineProperty(guarded, Symbol.for('tocsin.outbound-guard'), { value: true });
  globalThis.fetch = guarded;
  return {
    violations,
    takeViolations: () => violations.splice(0, violations.length),
    restore: () => {
      if (globalThis.fetch === guarded) globalThis.fetch = original;
    },
  };
}

/** Guards every test of the calling file: a blocked outbound request fails the test that made it. */
export function guardOutbound(): void {
  let guard: OutboundGuard | undefined;
  beforeAll(() => {
    guard = installOutboundGuard();
  });
  afterEach(() => {
    const blocked = guard?.takeViolations() ?? [];
    if (blocked.length > 0) throw new Error(`test reached outside loopback: ${blocked.join(', ')}`);
  });
  afterAll(() => guard?.restore());
}
