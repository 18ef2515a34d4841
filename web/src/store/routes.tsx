import type { RouteObject } from 'react-router';
import { FulfillmentPage } from './fulfillment/FulfillmentPage';
import { HandoverPage } from './handover/HandoverPage';
import { QueuePage } from './queue/QueuePage';

/** Under /store. */
export const storeRoutes: RouteObject[] = [
  { index: true, element: <QueuePage /> },
  { path: 'fulfillments/:id', element: <FulfillmentPage /> },
  { path: 'handover', element: <HandoverPage /> },
];
