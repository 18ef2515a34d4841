import type { RouteObject } from 'react-router';
import { ImportsPage } from './ImportsPage';
import { SettingsPage } from './SettingsPage';

/** Under /bo. */
export const settingsRoutes: RouteObject[] = [
  { path: 'settings/*', element: <SettingsPage /> },
  { path: 'imports', element: <ImportsPage /> },
];
