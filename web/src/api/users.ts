import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call, optional } from './http';
import { MAX_PAGE_SIZE, useCursorList } from './lists';
import { queryKeys } from './queryKeys';
import type { CreatePersonBody, UpdatePersonBody } from './types';

/** People, optionally filtered by a name/email search. */
export function usePeople(search = '') {
  return useCursorList([...queryKeys.users, { q: search }], (cursor, signal) =>
    call(api.GET('/api/v1/users', { params: { query: { q: optional(search), limit: MAX_PAGE_SIZE, cursor } }, signal })),
  );
}

export function useCreatePerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreatePersonBody) => call(api.POST('/api/v1/users', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

export function useUpdatePerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdatePersonBody & { id: string }) =>
      call(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
    // A role or name change shows up in team member lists too.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.users }),
        queryClient.invalidateQueries({ queryKey: queryKeys.teams }),
      ]),
  });
}
