import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, isApiError, rememberCsrfToken } from './http';
import { queryKeys } from './queryKeys';
import type { LoginBody, Me, SessionResponse, SetupBody, SetupStatus } from './types';

/** Whether the instance still needs its first administrator. */
export function useSetupStatus() {
  return useQuery({
    queryKey: queryKeys.setup,
    queryFn: ({ signal }) => call(api.GET('/api/v1/setup', { signal })),
    staleTime: Infinity,
  });
}

/** The signed-in person; `data` is null (not an error) when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async ({ signal }): Promise<Me | null> => {
      try {
        return await call(api.GET('/api/v1/me', { signal }), { allowUnauthorized: true });
      } catch (error) {
        if (isApiError(error, 401)) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Starts a session: the cache is cleared first so nothing from a previous user leaks into it. */
function useStartSession() {
  const queryClient = useQueryClient();
  return (session: SessionResponse) => {
    rememberCsrfToken(session.csrf_token);
    queryClient.clear();
    queryClient.setQueryData<Me | null>(queryKeys.me, session.user);
    queryClient.setQueryData<SetupStatus>(queryKeys.setup, { needs_setup: false });
  };
}

export function useCreateFirstAdmin() {
  const startSession = useStartSession();
  return useMutation({
    mutationFn: (body: SetupBody) => call(api.POST('/api/v1/setup', { body }), { allowUnauthorized: true }),
    onSuccess: startSession,
  });
}

export function useLogin() {
  const startSession = useStartSession();
  return useMutation({
    mutationFn: (body: LoginBody) => call(api.POST('/api/v1/auth/login', { body }), { allowUnauthorized: true }),
    onSuccess: startSession,
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/v1/auth/logout'), { allowUnauthorized: true }),
    // Forget the session locally even if the server call failed: the user asked to leave.
    onSettled: () => {
      rememberCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData<Me | null>(queryKeys.me, null);
    },
  });
}
