import { useQuery } from '@tanstack/react-query';
import { apiRequest } from './http';
import { queryKeys } from './queryKeys';
import type { SystemInfo } from './types';

export function useSystemInfo() {
  return useQuery({
    queryKey: queryKeys.system,
    queryFn: ({ signal }) => apiRequest<SystemInfo>('/system', { signal }),
    staleTime: Infinity,
  });
}
