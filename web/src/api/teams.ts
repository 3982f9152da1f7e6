import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './http';
import { useCursorList } from './lists';
import { queryKeys } from './queryKeys';
import type { CreateTeamBody, Team, TeamDetail, UpdateTeamBody } from './types';

const teamPath = (id: string) => `/teams/${encodeURIComponent(id)}`;

export function useTeams(search = '') {
  return useCursorList<Team>(queryKeys.teams, '/teams', { q: search });
}

export function useTeam(id: string) {
  return useQuery({
    queryKey: queryKeys.team(id),
    queryFn: ({ signal }) => apiRequest<TeamDetail>(teamPath(id), { signal }),
  });
}

/** Invalidates teams and what shows team data (channels list team names, my own team list). */
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
    mutationFn: (body: CreateTeamBody) => apiRequest<Team>('/teams', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useUpdateTeam(id: string) {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: (body: UpdateTeamBody) => apiRequest<Team>(teamPath(id), { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

export function useDeleteTeam(id: string) {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: () => apiRequest<void>(teamPath(id), { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

export function useAddTeamMember(teamId: string) {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: (personId: string) =>
      apiRequest<{ team_id: string; person_id: string }>(`${teamPath(teamId)}/members`, {
        method: 'POST',
        body: { person_id: personId },
      }),
    onSuccess: invalidate,
  });
}

export function useRemoveTeamMember(teamId: string) {
  const invalidate = useInvalidateTeams();
  return useMutation({
    mutationFn: (personId: string) =>
      apiRequest<void>(`${teamPath(teamId)}/members/${encodeURIComponent(personId)}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}
