import { api, call } from './http';
import { useCursorList } from './lists';
import { queryKeys } from './queryKeys';

/** How many audit entries to fetch per "load more": enough to fill a screen, cheap to render. */
const AUDIT_PAGE_SIZE = 50;

export function useAuditLog() {
  return useCursorList(queryKeys.auditLogs, (cursor, signal) =>
    call(api.GET('/api/v1/audit-logs', { params: { query: { limit: AUDIT_PAGE_SIZE, cursor } }, signal })),
  );
}
