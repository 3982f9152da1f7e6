/** Query-key roots, one per resource, so a mutation can invalidate everything it may have changed. */
export const queryKeys = {
  setup: ['setup'] as const,
  me: ['me'] as const,
  apiKeys: ['me', 'api-keys'] as const,
  system: ['system'] as const,
  users: ['users'] as const,
  user: (id: string) => ['users', id] as const,
  teams: ['teams'] as const,
  team: (id: string) => ['teams', id] as const,
  channels: ['channels'] as const,
  channel: (id: string) => ['channels', id] as const,
  auditLogs: ['audit-logs'] as const,
};
