/**
 * Which database errors mean "the database is unavailable right now" (answer 503 and retry later)
 * rather than "this request is wrong" or "we have a bug". Shared by the HTTP error envelope, start-up
 * and the engine, so every layer draws the same line.
 */

// Node socket errors and pg's own connection errors.
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
// SQLite: the file cannot be written (disk full, read-only, I/O error, locked for too long).
const SQLITE_CODES = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|PROTOCOL|NOMEM)/;
// PostgreSQL SQLSTATE: connection exceptions (08), operator intervention (57P), insufficient resources (53).
const PG_STATES = /^(08|57P0[1-4]|53[0-9]{3}|57014)/;
const MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error',
  'Connection ended unexpectedly',
  'the database system is starting up',
  'the database system is shutting down',
  'Postgres connection has been discarded',
];

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** True when `error` (or its cause) says the database cannot be reached or written right now. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const code = codeOf(error);
  if (code && (NETWORK_CODES.has(code) || SQLITE_CODES.test(code) || PG_STATES.test(code))) return true;
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && MESSAGES.some((m) => message.includes(m))) return true;
  return isDatabaseUnavailable((error as { cause?: unknown }).cause, depth + 1);
}

/** A short, user-safe reason: the driver's message and code, never SQL or a stack. */
export function databaseFaultReason(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const code = codeOf(error);
  const message = (error as { message?: unknown }).message;
  const text = typeof message === 'string' ? message.split('\n')[0] ?? '' : '';
  return code && !text.includes(code) ? `${text} (${code})` : text;
}
