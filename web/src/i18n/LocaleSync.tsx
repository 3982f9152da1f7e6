import { useEffect } from 'react';
import { useCurrentUser } from '../app/guards';
import { applyLocale } from './index';

/** Follows the signed-in person's chosen locale (saved in the personal center). */
export function LocaleSync() {
  const me = useCurrentUser();
  useEffect(() => applyLocale(me.locale), [me.locale]);
  return null;
}
