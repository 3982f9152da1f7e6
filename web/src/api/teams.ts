import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, optional } from './http';
import { MAX_PAGE_SIZE, useCursorList } from './lists';
import { queryKeys } from './queryKeys';
import type { CreateTeamBody, UpdateTeamBody } from './types';

export function useTeams(search = '') {
  return useCursorList([...queryKeys.teams, { q: search }], (cursor, signal) =>
    call(api.GET('/api/v1/teams', { params: { query: { q: optional(search), limit: MAX_PAGE_SIZE, cursor } }, signal })),
  );
}

export function useTeam(id: string) {
  return useQuery({
    queryKey: queryKeys.team(id),
    queryFn: ({ signal }) => call(api.GET('/api/v1/teams/{id}', { params: { path: { id } }, signal })),
  });
}

/** Invalidates teams and what shows team data (channel team names, my own team list). */
function useInvalidateTeams() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.teams }),
      queryClient.invalidateQueries({ queryKey: queryKeys.channels }),
      queryClient.invalidateQueries({ queryKey: queryKeys.me }),
    ]);
}

export function useCreateTeam() {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: (body: CreateTeamBody) => call(api.POST('/api/v1/teams', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateTeam(id: string) {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: (body: UpdateTeamBody) => call(api.PATCH('/api/v1/teams/{id}', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

export function useDeleteTeam(id: string) {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: () => call(api.DELETE('/api/v1/teams/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

export function useAddTeamMember(teamId: string) {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: (personId: string) =>
      call(api.POST('/api/v1/teams/{id}/members', { params: { path: { id: teamId } }, body: { person_id: personId } })),
    onSuccess: invalidate,
  });
}

export function useRemoveTeamMember(teamId: string) {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: (personId: string) =>
      call(api.DELETE('/api/v1/teams/{id}/members/{person_id}', { params: { path: { id: teamId, person_id: personId } } })),
    onSuccess: invalidate,
  });
}
