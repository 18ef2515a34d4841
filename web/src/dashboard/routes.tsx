import type { RouteObject } from 'react-router';
import { DashboardPage } from './DashboardPage';

/** Under /bo. */
export const dashboardRoutes: RouteObject[] = [{ index: true, element: <DashboardPage /> }];
