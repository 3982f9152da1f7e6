import { AppError } from '../core/errors.js';

/** A page request after validation: at most 100 rows, after an opaque cursor. */
export interface PageRequest {
  readonly limit: number;
  readonly after: readonly [string, string] | undefined;
}

/** A page of results as every list endpoint returns it. */
export interface Page<T> {
  readonly data: T[];
  readonly next_cursor: string | null;
}

/** Decodes `?limit=&cursor=`; the cursor is the sort key and id of the last row of the previous page. */
export function pageRequest(limit: number | undefined, cursor: string | undefined): PageRequest {
  const size = limit ?? 50;
  if (!Number.isInteger(size) || size < 1 || size > 100) throw new AppError('InvalidParameter', 'limit: must be an integer from 1 to 100', 'limit');
  if (!cursor) return { limit: size, after: undefined };
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2 && decoded.every((part) => typeof part === 'string')) {
      return { limit: size, after: [decoded[0] as string, decoded[1] as string] };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('InvalidParameter', 'cursor: must be a next_cursor value returned by this list', 'cursor');
}

/**
 * Cuts the `limit + 1` rows a query fetched into a page; the extra row only says whether more exist.
 * `sortKey` must be the column the query ordered by (then by id).
 */
export function toPage<Row extends { id: string }, Out>(
  rows: readonly Row[],
  request: PageRequest,
  sortKey: (row: Row) => string,
  present: (row: Row) => Out,
): Page<Out> {
  const visible = rows.slice(0, request.limit);
  const last = visible[visible.length - 1];
  const next = rows.length > request.limit && last ? Buffer.from(JSON.stringify([sortKey(last), last.id])).toString('base64url') : null;
  return { data: visible.map(present), next_cursor: next };
}

/**
 * Pages a list that is loaded whole because it is small and bounded and has its own order (a
 * channel's rules by priority, the configured providers): the cursor is the last row's id. If that
 * row was deleted between two pages the list ends there; the caller reloads from the start.
 */
export function pageLoaded<Row, Out>(rows: readonly Row[], request: PageRequest, present: (row: Row) => Out, idOf: (row: Row) => string): Page<Out> {
  const afterId = request.after?.[1];
  const start = afterId === undefined ? 0 : rows.findIndex((r) => idOf(r) === afterId) + 1 || rows.length;
  const visible = rows.slice(start, start + request.limit);
  const last = visible[visible.length - 1];
  const more = start + request.limit < rows.length;
  return { data: visible.map(present), next_cursor: more && last !== undefined ? Buffer.from(JSON.stringify(['', idOf(last)])).toString('base64url') : null };
}
