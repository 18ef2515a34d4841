import type { RouteObject } from 'react-router';
import { OrderDetailPage } from './detail/OrderDetailPage';
import { OrderListPage } from './OrderListPage';

/** Under /bo. */
export const ordersRoutes: RouteObject[] = [
  { path: 'orders', element: <OrderListPage /> },
  { path: 'orders/:id', element: <OrderDetailPage /> },
];
