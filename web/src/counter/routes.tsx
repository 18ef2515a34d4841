import type { RouteObject } from 'react-router';
import { CounterReturnPage } from './returns/CounterReturnPage';
import { NewOrderPage } from './new-order/NewOrderPage';
import { StockLookupPage } from './stock/StockLookupPage';

/** The store counter (under /store): stock lookup, order in store, return at the counter. */
export const counterRoutes: RouteObject[] = [
  { path: 'stock', element: <StockLookupPage /> },
  { path: 'new-order', element: <NewOrderPage /> },
  { path: 'returns/new', element: <CounterReturnPage /> },
];
