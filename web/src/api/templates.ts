/** A channel's notification templates per method (SPEC §8.3): overrides, defaults and a live preview. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './http';

export interface TemplateParts {
  subject?: string;
  text?: string;
  html?: string;
}

const templatesKey = (channelId: string) => ['channels', channelId, 'templates'] as const;

export function useChannelTemplates(channelId: string) {
  return useQuery({
    queryKey: templatesKey(channelId),
    queryFn: ({ signal }) => call(api.GET('/api/v1/channels/{id}/templates', { params: { path: { id: channelId } }, signal })),
    select: (page) => page.data,
  });
}

export function useSaveChannelTemplate(channelId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ method, parts }: { method: string; parts: TemplateParts }) =>
      call(api.PUT('/api/v1/channels/{id}/templates/{method}', { params: { path: { id: channelId, method } }, body: parts })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: templatesKey(channelId) }),
  });
}

/** Renders unsaved templates against the channel's most recent incident. */
export function useTemplatePreview(channelId: string, method: string, parts: TemplateParts) {
  return useQuery({
    queryKey: [...templatesKey(channelId), 'preview', method, parts] as const,
    queryFn: ({ signal }) => call(api.POST('/api/v1/channels/{id}/templates/{method}/preview', { params: { path: { id: channelId, method } }, body: parts, signal })),
    placeholderData: (previous) => previous,
  });
}
