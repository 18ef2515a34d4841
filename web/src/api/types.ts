/** API shapes more than one area of the apps reads (each area keeps its own types otherwise). */
export interface Location {
  id: string;
  name: string;
  type: 'store' | 'warehouse' | 'supplier' | 'marketplace_seller';
  address: { line1?: string; line2?: string; postalCode?: string; city?: string; country?: string };
  latitude: number | null;
  longitude: number | null;
  timeZone: string;
  capabilities: string[];
  dailyPickCapacity: number | null;
  handlingCostMinor: number;
  priority: number;
  dataReliability: number;
  active: boolean;
}

/** A catalogue product (GET /v1/products). */
export interface Product {
  sku: string;
  name: string;
  styleId: string | null;
  attributes: Record<string, string>;
  prices: Record<string, number>;
  weightGrams: number | null;
  backorderable: boolean;
  preorderable: boolean;
  active: boolean;
}

/** Stock of a SKU at a location (GET /v1/inventory/...). */
export interface Position {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  atp: number;
  lastSetAt: string | null;
}
