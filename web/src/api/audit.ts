import { useCursorList } from './lists';
import { queryKeys } from './queryKeys';
import type { AuditEntry } from './types';

/** How many audit entries to fetch per "load more": enough to fill a screen, cheap to render. */
const AUDIT_PAGE_SIZE = 50;

export function useAuditLog() {
  return useCursorList<AuditEntry>(queryKeys.auditLogs, '/audit-logs', { limit: AUDIT_PAGE_SIZE });
}
