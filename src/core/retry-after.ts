/** The most a peer's Retry-After may hold a message back. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * An HTTP `Retry-After` (delay seconds or an HTTP date) as milliseconds from `now`, capped at an hour;
 * undefined when absent or unreadable. The one parser every provider uses.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
