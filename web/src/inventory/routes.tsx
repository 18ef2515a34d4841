import type { RouteObject } from 'react-router';
import { InventoryPage } from './InventoryPage';
import { SkuPage } from './SkuPage';

/** Under /bo. */
export const inventoryRoutes: RouteObject[] = [
  { path: 'inventory', element: <InventoryPage /> },
  { path: 'inventory/:sku', element: <SkuPage /> },
];
