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
