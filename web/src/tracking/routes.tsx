import type { RouteObject } from 'react-router';
import { TrackingPage } from './TrackingPage';

/** Public, no login: /track (order number + e-mail) and /track/:token (signed link from a notification). */
export const trackingRoutes: RouteObject[] = [
  { path: '/track', element: <TrackingPage /> },
  { path: '/track/:token', element: <TrackingPage /> },
];
