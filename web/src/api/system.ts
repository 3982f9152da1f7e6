import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './http';
import { queryKeys } from './queryKeys';

export function useSystemInfo() {
  return useQuery({
    queryKey: queryKeys.system,
    queryFn: ({ signal }) => call(api.GET('/api/v1/system', { signal })),
    staleTime: Infinity,
  });
}

/** Seeds the demo organisation (admins); every list is stale afterwards. */
export function useSeedDemo() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/v1/demo', {})),
    onSuccess: () => client.invalidateQueries(),
  });
}
