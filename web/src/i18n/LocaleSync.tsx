import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useCurrentUser } from '../app/guards';
import { applyLocale } from './index';

/**
 * Follows the signed-in person's chosen locale (saved in the personal center). When the language
 * really changes, cached answers are fetched again: some carry server-written sentences (an
 * incident's timeline) in the language they were asked in.
 */
export function LocaleSync() {
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  useEffect(() => {
    const before = document.documentElement.lang;
    applyLocale(me.locale);
    if (before !== document.documentElement.lang) void queryClient.invalidateQueries();
  }, [me.locale, queryClient]);
  return null;
}
