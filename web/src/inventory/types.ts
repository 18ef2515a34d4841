/** API shapes the inventory explorer reads (see src/modules/inventory and catalog schemas). */
import type { Position, Product } from '../api/types';

export type { Position, Product };

export interface LedgerRow {
  id: number;
  sku: string;
  locationId: string;
  occurredAt: string;
  cause: string;
  onHandBefore: number;
  onHandAfter: number;
  reservedBefore: number;
  reservedAfter: number;
  source: string | null;
  reference: string | null;
  actor: string;
}

export interface StockHold {
  kind: 'cart' | 'promise' | 'order';
  id: string;
  holdId: string | null;
  locationId: string;
  quantity: number;
  channelId: string | null;
  reference: string | null;
  order: { id: string; number: string } | null;
  createdAt: string;
  expiresAt: string | null;
}

export interface SupplyLine {
  id: string;
  kind: string;
  reference: string;
  sku: string;
  locationId: string;
  quantity: number;
  expectedAt: string;
  status: string;
}

export interface AtpByDate {
  sku: string;
  locationId: string | null;
  points: { at: string; incoming: number; atp: number; overdue: boolean }[];
}

export interface Channel {
  id: string;
  name: string;
  type: string;
  eligibleLocationIds: string[] | null;
  pool: { maxShare?: number; maxQuantity?: number; protections: { channelId: string; quantity: number }[] };
  active: boolean;
}

export interface Availability {
  channel: string | null;
  origin: { latitude: number; longitude: number } | null;
  items: { sku: string; known: boolean; networkAtp: number; locations: { locationId: string; atp: number; distanceKm: number | null }[] }[];
}

export interface SetStockResult {
  applied: boolean;
  reason?: 'stale';
  changed: boolean;
  position: Position;
}
