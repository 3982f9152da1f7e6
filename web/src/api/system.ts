import { useQuery } from '@tanstack/react-query';
import { api, call } from './http';
import { queryKeys } from './queryKeys';

export function useSystemInfo() {
  return useQuery({
    queryKey: queryKeys.system,
    queryFn: ({ signal }) => call(api.GET('/api/v1/system', { signal })),
    staleTime: Infinity,
  });
}
