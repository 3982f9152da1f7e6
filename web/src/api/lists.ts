import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import { apiRequest, type QueryValue } from './http';
import type { Page } from './types';

/** The largest page the API hands out. */
export const MAX_PAGE_SIZE = 100;

/** Fetches one page of a cursor-paginated list. */
export function fetchPage<T>(path: string, params: Record<string, QueryValue>, cursor: string | null): Promise<Page<T>> {
  return apiRequest<Page<T>>(path, { query: { ...params, limit: params.limit ?? MAX_PAGE_SIZE, cursor } });
}

/**
 * A cursor-paginated list as one flat array plus "load more", which is how every table in the
 * console pages: the API's cursors are opaque, so there are no page numbers to offer.
 */
export function useCursorList<T>(queryKey: QueryKey, path: string, params: Record<string, QueryValue> = {}) {
  const query = useInfiniteQuery({
    queryKey: [...queryKey, params],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<Page<T>>(path, { query: { limit: MAX_PAGE_SIZE, ...params, cursor: pageParam }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
  const items = query.data?.pages.flatMap((page) => page.data) ?? [];
  return { ...query, items };
}
