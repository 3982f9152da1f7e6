import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './http';
import { useCursorList } from './lists';
import { queryKeys } from './queryKeys';
import type { CreatePersonBody, Person, UpdatePersonBody } from './types';

/** People, optionally filtered by a name/email search. */
export function usePeople(search = '') {
  return useCursorList<Person>(queryKeys.users, '/users', { q: search });
}

export function useCreatePerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreatePersonBody) => apiRequest<Person>('/users', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

export function useUpdatePerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdatePersonBody & { id: string }) =>
      apiRequest<Person>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    // A role or name change shows up in team member lists too.
    onSuccess: () => Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.users }),
      queryClient.invalidateQueries({ queryKey: queryKeys.teams }),
    ]),
  });
}
