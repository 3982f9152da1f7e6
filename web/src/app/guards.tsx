import { createContext, useContext, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useMe, useSetupStatus } from '../api/session';
import type { Me } from '../api/types';
import { ErrorState } from '../components/ErrorState';
import { FullPageLoader } from '../components/FullPageLoader';
import { LocaleSync } from '../i18n/LocaleSync';

export const SETUP_PATH = '/setup';
export const LOGIN_PATH = '/login';
export const HOME_PATH = '/channels';

/** Where to send someone who must sign in, remembering the page they wanted. */
export function loginPathFor(location: { pathname: string; search: string; hash: string }): string {
  const wanted = `${location.pathname}${location.search}${location.hash}`;
  return wanted === '/' ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(wanted)}`;
}

/**
 * Sends everyone to /setup while the instance has no administrator, and away from it after.
 */
export function SetupGate({ children }: { children: ReactNode }) {
  const location = useLocation();
  const setup = useSetupStatus();
  if (setup.isPending) return <FullPageLoader />;
  if (setup.isError) {
    return <ErrorState fullPage error={setup.error} onRetry={() => void setup.refetch()} />;
  }
  const onSetupPage = location.pathname === SETUP_PATH;
  if (setup.data.needs_setup && !onSetupPage) return <Navigate to={SETUP_PATH} replace />;
  if (!setup.data.needs_setup && onSetupPage) return <Navigate to={LOGIN_PATH} replace />;
  return children;
}

// The signed-in person, provided by RequireAuth. Pages read it from context rather than from the
// query so that, at sign-out, they are unmounted by the redirect instead of seeing `null` first.
const CurrentUserContext = createContext<Me | null>(null);

/** Renders its child routes only for a signed-in person. */
export function RequireAuth() {
  const location = useLocation();
  const me = useMe();
  if (me.isPending) return <FullPageLoader />;
  if (me.isError) return <ErrorState fullPage error={me.error} onRetry={() => void me.refetch()} />;
  if (me.data === null) return <Navigate to={loginPathFor(location)} replace />;
  return (
    <CurrentUserContext.Provider value={me.data}>
      <LocaleSync />
      <Outlet />
    </CurrentUserContext.Provider>
  );
}

/** The signed-in person; only valid under RequireAuth, which guarantees it is loaded. */
export function useCurrentUser(): Me {
  const me = useContext(CurrentUserContext);
  if (!me) throw new Error('useCurrentUser used outside RequireAuth');
  return me;
}

export function isAdmin(me: Me): boolean {
  return me.role === 'admin';
}
