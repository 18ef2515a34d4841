/** GET /v1/reports/dashboard, as the dashboard reads it (amounts in minor units of their currency). */
export interface CurrencyValue {
  currency: string;
  orders: number;
  totalMinor: number;
}

export interface StockoutFigures {
  orders: number;
  stockoutOrders: number;
  rate: number | null;
  lines: number;
  stockoutLines: number;
  lineRate: number | null;
}

export interface ChannelFigures {
  channelId: string;
  name: string;
  type: string;
  orders: number;
  cancelled: number;
  values: CurrencyValue[];
  stockout: StockoutFigures;
}

export interface LateOrder {
  orderId: string;
  number: string;
  channelId: string;
  status: string;
  deliveryMethod: string;
  customerName: string | null;
  state: 'delayed' | 'at_risk';
  reason: string;
  promiseLatest: string;
  etaLatest: string;
  changedAt: string;
}

export interface Dashboard {
  date: string;
  timeZone: string;
  channelId: string | null;
  from: string;
  to: string;
  generatedAt: string;
  orders: { count: number; cancelled: number; values: CurrencyValue[] };
  byChannel: ChannelFigures[];
  byStatus: Array<{ status: string; orders: number; values: CurrencyValue[] }>;
  split: { orders: number; split: number; rate: number | null };
  stockout: StockoutFigures;
  sourcingCost: Array<{ currency: string; orders: number; totalMinor: number; averageMinor: number }>;
  late: { delayed: number; atRisk: number; items: LateOrder[] };
  hourly: Array<{ at: string; hour: string; orders: number }>;
  last7Days: Array<{ date: string; orders: number; values: CurrencyValue[] }>;
}
