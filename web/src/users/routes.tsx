import type { RouteObject } from 'react-router';
import { UsersPage } from './UsersPage';

/** Under /bo (admins only: the page and the API both refuse others). */
export const usersRoutes: RouteObject[] = [{ path: 'users', element: <UsersPage /> }];
