import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler } from '../api/client';
import { Loading } from '../ui/feedback';

export type Role = 'admin' | 'integration' | 'ops' | 'service' | 'store';

/** The signed-in user, as `GET /v1/auth/session` and `POST /v1/auth/login` return it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locationIds: string[];
  locale: string | null;
}
export interface Session {
  user: SessionUser;
  csrfToken: string;
}

const SESSION_KEY = ['session'] as const;
const SessionContext = createContext<Session | null>(null);

async function fetchSession(): Promise<Session | null> {
  try {
    return await api.get<Session>('/v1/auth/session');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

/** Loads the session once; any 401 from the API afterwards sends the user back to the login page. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const { data, isPending } = useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: Infinity, retry: false });
  setCsrfToken(data?.csrfToken);
  useEffect(() => {
    setUnauthorizedHandler(() => client.setQueryData(SESSION_KEY, null));
    return () => setUnauthorizedHandler(undefined);
  }, [client]);
  if (isPending) return <Loading />;
  return <SessionContext.Provider value={data ?? null}>{children}</SessionContext.Provider>;
}

/** The current session, or null when nobody is signed in. */
export const useSession = (): Session | null => useContext(SessionContext);

/** Records a new session (after login) or its end (after logout) for the whole app. */
export function useSetSession(): (session: Session | null) => void {
  const client = useQueryClient();
  return (session) => {
    setCsrfToken(session?.csrfToken);
    client.setQueryData(SESSION_KEY, session);
    // On sign-out, forget everything the previous user loaded; the session query itself stays observed
    // (clearing it too would leave the provider showing the old user).
    if (!session) client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
  };
}

/** Where a user lands after signing in: store staff on their queue, everyone else on the back office. */
export const homeFor = (role: Role): string => (role === 'store' ? '/store' : '/bo');

/** Renders its children only for a signed-in user with one of the roles; others go to login or home. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (!roles.includes(session.user.role)) return <Navigate to={homeFor(session.user.role)} replace />;
  return <>{children}</>;
}

export const BACK_OFFICE_ROLES: readonly Role[] = ['admin', 'ops', 'service'];
export const STORE_ROLES: readonly Role[] = ['store', 'admin'];
