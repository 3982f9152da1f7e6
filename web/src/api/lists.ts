import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import type { Page } from './types';

/** The largest page the API hands out. */
export const MAX_PAGE_SIZE = 100;

/** Fetches one page; `cursor` is undefined for the first. */
export type PageFetcher<T> = (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>;

/**
 * A cursor-paginated list as one flat array plus "load more", which is how every table in the
 * console pages: the API's cursors are opaque, so there are no page numbers to offer.
 * `queryKey` must include every input of `fetchPage` (e.g. the search text).
 */
export function useCursorList<T>(queryKey: QueryKey, fetchPage: PageFetcher<T>) {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
  const items = query.data?.pages.flatMap((page) => page.data) ?? [];
  return { ...query, items };
}

/** A small list's pages beyond this many are not fetched (100 rows each: rules, providers, keys). */
const ALL_PAGES_MAX = 20;

/**
 * Every page of a small, bounded list (a channel's rules, the providers) as one page: the screens
 * that show them order or pick from the whole list, so "load more" would be wrong there.
 */
export async function allPages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): Promise<Page<T>> {
  const data: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < ALL_PAGES_MAX; i += 1) {
    const page = await fetchPage(cursor);
    data.push(...page.data);
    cursor = page.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return { data, next_cursor: null };
}
